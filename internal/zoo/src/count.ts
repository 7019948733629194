import type { LayersModel } from '@tensorflow/tfjs-layers';

export interface ParameterCounts {
  /** What an optimizer updates; PyTorch's sum of p.numel() over model.parameters(). */
  trainable: number;
  /** BatchNorm's running means and variances (PyTorch's buffers). */
  nonTrainable: number;
}

export function parameterCounts(model: LayersModel): ParameterCounts {
  const size = (shape: readonly (number | null)[]) => shape.reduce<number>((a, b) => a * (b ?? 1), 1);
  const trainable = model.trainableWeights.reduce((sum, w) => sum + size(w.shape), 0);
  const all = model.weights.reduce((sum, w) => sum + size(w.shape), 0);
  return { trainable, nonTrainable: all - trainable };
}
