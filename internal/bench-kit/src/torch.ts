import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const PYTHON = '/usr/bin/python3';
const SCRIPT = fileURLToPath(new URL('../../../scripts/torch/bench.py', import.meta.url));

/** Keys of `results` printed by bench.py (its docstring says what each one times). */
export type TorchResultKey =
  | 'jit_step_cnn_ms'
  | 'jit_step_mlp_ms'
  | 'ssd_importance_cnn_ms'
  | 'lf_importance_cnn_ms'
  | 'train_cnn_samples_per_s'
  | 'train_mlp_samples_per_s'
  | 'predict_cnn_ms';

export interface TorchTimings {
  torch: string;
  threads: Record<string, number>;
  results: Record<TorchResultKey, number>;
}

/**
 * PyTorch's timings of the same workloads (scripts/torch/bench.py: OpenBLAS on one thread,
 * torch on two), or the reason they are unavailable, for benchmarks that print both side by side.
 */
export function torchTimings(): TorchTimings | { unavailable: string } {
  if (!existsSync(PYTHON)) return { unavailable: `${PYTHON} not found` };
  const probe = spawnSync(PYTHON, ['-c', 'import torch'], { encoding: 'utf8' });
  if (probe.status !== 0) return { unavailable: 'PyTorch not available (apt-get install python3-torch)' };
  const run = spawnSync(PYTHON, [SCRIPT], { encoding: 'utf8', timeout: 300_000 });
  if (run.status !== 0) return { unavailable: `bench.py failed: ${(run.stderr || run.error?.message || '').trim().split('\n').pop()}` };
  return JSON.parse(run.stdout) as TorchTimings;
}
