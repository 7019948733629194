import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import { createRng } from '../tensor/rng.js';
import { seedWeights } from '../tensor/seed-weights.js';

export { seedWeights };

/** A small dense classifier: inputDim → hidden (relu) → classes (softmax). */
export function tinyClassifier(opts: { inputDim?: number; hidden?: number; classes?: number; seed?: number } = {}): LayersModel {
  const { inputDim = 8, hidden = 16, classes = 3, seed = 1 } = opts;
  const model = tfl.sequential({
    layers: [
      tfl.layers.dense({ inputShape: [inputDim], units: hidden, activation: 'relu' }),
      tfl.layers.dense({ units: classes, activation: 'softmax' }),
    ],
  });
  seedWeights(model, seed);
  return model;
}

/** A small CNN for h×w×1 images: conv3x3 (relu) → maxpool 2 → dense (softmax). */
export function tinyCnn(opts: { size?: number; filters?: number; classes?: number; seed?: number } = {}): LayersModel {
  const { size = 8, filters = 4, classes = 3, seed = 1 } = opts;
  const model = tfl.sequential({
    layers: [
      tfl.layers.conv2d({ inputShape: [size, size, 1], filters, kernelSize: 3, activation: 'relu' }),
      tfl.layers.maxPooling2d({ poolSize: 2 }),
      tfl.layers.flatten(),
      tfl.layers.dense({ units: classes, activation: 'softmax' }),
    ],
  });
  seedWeights(model, seed);
  return model;
}

/**
 * Gaussian blobs, one per class, in `inputDim` dimensions: linearly separable enough that a
 * tiny model learns them in a few epochs. Returns int32 labels.
 */
export function syntheticClassification(opts: { n: number; inputDim?: number; classes?: number; seed?: number; spread?: number }): {
  x: tf.Tensor2D;
  y: tf.Tensor1D;
} {
  const { n, inputDim = 8, classes = 3, seed = 1, spread = 0.6 } = opts;
  const rng = createRng(seed).fork('blobs');
  const centres = Array.from({ length: classes }, () => Array.from({ length: inputDim }, () => rng.normal() * 1.5));
  const x = new Float32Array(n * inputDim);
  const y = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const c = i % classes;
    y[i] = c;
    for (let d = 0; d < inputDim; d++) x[i * inputDim + d] = centres[c]![d]! + rng.normal() * spread;
  }
  return { x: tf.tensor2d(x, [n, inputDim]), y: tf.tensor1d(y, 'int32') };
}
