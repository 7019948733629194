import { torchTimings } from '@unlearn/bench-kit';

export type TorchResult =
  | { available: true; trainCnnSamplesPerSecond: number; torch: string; raw: Record<string, unknown> }
  | { available: false; reason: string };

/** PyTorch's CNN training throughput from scripts/torch/bench.py, when torch is installed. */
export async function torchReference(): Promise<TorchResult> {
  const t = torchTimings();
  if ('unavailable' in t) return { available: false, reason: t.unavailable };
  return { available: true, trainCnnSamplesPerSecond: t.results.train_cnn_samples_per_s, torch: t.torch, raw: { ...t } };
}
