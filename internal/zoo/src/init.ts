import * as tf from '@tensorflow/tfjs-core';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import { createRng } from '@unlearn/core';

/**
 * Seeded initialisation for deep nets with normalisation layers. core's seedWeights fills every
 * rank-1 weight with 0.01, which would set BatchNorm's gamma and moving variance to 0.01 and
 * shrink each block's output a hundredfold; here gamma and variances are 1, shifts and biases 0,
 * convolutions He-uniform (fan-in = taps x input channels; taps alone for depthwise kernels, whose
 * every output sees one input channel) and dense kernels Glorot-uniform. Weights are drawn in
 * model.weights order from one generator, so a seed and an architecture fix every value.
 */
export function initWeights(model: LayersModel, seed: number): void {
  const rng = createRng(seed).fork('zoo-weights');
  const values = model.weights.map((w) => {
    const role = w.originalName.split('/').pop()!;
    const shape = w.shape as number[];
    const data = new Float32Array(shape.reduce((a, b) => a * b, 1));
    const limit = kernelLimit(role, shape);
    if (limit !== undefined) for (let i = 0; i < data.length; i++) data[i] = (rng.next() * 2 - 1) * limit;
    else if (role === 'gamma' || role === 'moving_variance') data.fill(1);
    return tf.tensor(data, shape);
  });
  model.setWeights(values);
  tf.dispose(values);
}

function kernelLimit(role: string, shape: number[]): number | undefined {
  if (role === 'depthwise_kernel') return Math.sqrt(6 / (shape[0]! * shape[1]!));
  if (role !== 'kernel') return undefined;
  if (shape.length === 2) return Math.sqrt(6 / (shape[0]! + shape[1]!));
  const fanIn = shape.slice(0, -1).reduce((a, b) => a * b, 1);
  return Math.sqrt(6 / fanIn);
}
