import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const PYTHON = '/usr/bin/python3';
const SCRIPT = fileURLToPath(new URL('../../../scripts/torch/bench.py', import.meta.url));

export type TorchResult =
  | { available: true; trainCnnSamplesPerSecond: number; torch: string; raw: Record<string, unknown> }
  | { available: false; reason: string };

/** PyTorch's CNN training throughput from scripts/torch/bench.py, when torch is installed. */
export async function torchReference(): Promise<TorchResult> {
  if (!existsSync(PYTHON) || !existsSync(SCRIPT)) return { available: false, reason: 'PyTorch not available (no python3 or bench script)' };
  const stdout = await new Promise<string | undefined>((resolve) => {
    execFile(PYTHON, [SCRIPT], { timeout: 300_000, maxBuffer: 1 << 20 }, (error, out) => resolve(error ? undefined : out));
  });
  if (!stdout) return { available: false, reason: 'PyTorch not available (bench.py failed; is torch installed?)' };
  try {
    const parsed = JSON.parse(stdout) as { results: Record<string, number>; [k: string]: unknown };
    const version = (parsed.torch ?? parsed.torch_version ?? (parsed.environment as Record<string, unknown> | undefined)?.torch ?? 'unknown') as string;
    return { available: true, trainCnnSamplesPerSecond: parsed.results.train_cnn_samples_per_s!, torch: String(version), raw: parsed };
  } catch {
    return { available: false, reason: 'PyTorch not available (bench.py printed no JSON)' };
  }
}
