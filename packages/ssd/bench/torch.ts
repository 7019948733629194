import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const PYTHON = '/usr/bin/python3';
const SCRIPT = fileURLToPath(new URL('../../../scripts/torch/bench.py', import.meta.url));

export interface TorchTimings {
  torch: string;
  threads: Record<string, number>;
  results: Record<string, number>;
}

/** scripts/torch/bench.py's timings, or the reason they are unavailable. */
export function torchTimings(): TorchTimings | { unavailable: string } {
  if (!existsSync(PYTHON)) return { unavailable: `${PYTHON} not found` };
  const probe = spawnSync(PYTHON, ['-c', 'import torch'], { encoding: 'utf8' });
  if (probe.status !== 0) return { unavailable: 'PyTorch not available' };
  const run = spawnSync(PYTHON, [SCRIPT], { encoding: 'utf8', timeout: 300_000 });
  if (run.status !== 0) return { unavailable: `bench.py failed: ${(run.stderr || run.error?.message || '').trim().split('\n').pop()}` };
  return JSON.parse(run.stdout) as TorchTimings;
}
