import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import { createRng } from '../random/rng.js';
import { toModelAdapter } from '../model/adapter.js';
import { crossEntropyGradients, sgdStep } from '../gradients/gradients.js';
import { seedWeights } from '../random/seed-weights.js';

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
 * A dense classifier with the layers whose behaviour depends on the mode: inputDim → hidden →
 * batch normalisation → relu → dropout → classes (softmax). Seeded; the batch-norm statistics are
 * set away from their initial 0 and 1, so that a test can tell a model that updated them.
 */
export function tinyBatchNormClassifier(opts: { inputDim?: number; hidden?: number; classes?: number; dropout?: number; seed?: number } = {}): LayersModel {
  const { inputDim = 8, hidden = 16, classes = 3, dropout = 0.5, seed = 1 } = opts;
  const model = tfl.sequential({
    layers: [
      tfl.layers.dense({ inputShape: [inputDim], units: hidden }),
      tfl.layers.batchNormalization(),
      tfl.layers.activation({ activation: 'relu' }),
      tfl.layers.dropout({ rate: dropout }),
      tfl.layers.dense({ units: classes, activation: 'softmax' }),
    ],
  });
  seedWeights(model, seed);
  const rng = createRng(seed).fork('batch-norm');
  const around = (centre: number, spread: number) => tf.tensor1d(Array.from({ length: hidden }, () => centre + (rng.next() * 2 - 1) * spread));
  // seedWeights sets every rank-1 weight to 0.01, which would make γ and the variance tiny.
  const bn = model.layers[1]!;
  const values = [around(1, 0.2), around(0, 0.1), around(0, 0.3), around(1, 0.3)]; // γ, β, moving mean, moving variance
  bn.setWeights(values);
  tf.dispose(values);
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

/**
 * `syntheticClassification`'s blobs as 8×8 single-channel images, the input of `tinyCnn`: what the
 * worker-thread and convolution tests feed a CNN.
 */
export function syntheticImages(opts: { n: number; classes?: number; seed?: number }): { x: tf.Tensor4D; y: tf.Tensor1D } {
  const { x, y } = syntheticClassification({ n: opts.n, inputDim: 64, classes: opts.classes ?? 3, seed: opts.seed ?? 1 });
  const images = tf.reshape(x, [opts.n, 8, 8, 1]) as tf.Tensor4D;
  x.dispose();
  return { x: images, y };
}

/**
 * The largest element-wise relative difference |a − b| / |a| between two lists of tensors of the
 * same shapes (a zero in `a` counts against 1e-30): how parallel or cross-backend results are
 * compared with the single-thread ones.
 */
export async function maxRelativeDifference(a: readonly tf.Tensor[], b: readonly tf.Tensor[]): Promise<number> {
  let worst = 0;
  for (let i = 0; i < a.length; i++) {
    const [av, bv] = await Promise.all([a[i]!.data(), b[i]!.data()]);
    for (let j = 0; j < av.length; j++) {
      const d = Math.abs(av[j]! - bv[j]!);
      if (d > 0) worst = Math.max(worst, d / Math.max(Math.abs(av[j]!), 1e-30));
    }
  }
  return worst;
}

/**
 * `tinyClassifier` trained to fit `data` by full-batch SGD (lr 0.5, `steps` steps): methods whose
 * update only behaves on a model that already fits its data (NegGrad+'s ascent, UNSIR's repair)
 * are tested on one, as the models they are meant for are trained.
 */
export function fittedTinyClassifier(
  data: { x: tf.Tensor; y: tf.Tensor },
  opts: { inputDim?: number; hidden?: number; classes?: number; seed?: number } = {},
  steps = 10,
): LayersModel {
  const model = tinyClassifier(opts);
  const adapter = toModelAdapter(model);
  const vars = adapter.trainable.map((v) => v.variable);
  for (let i = 0; i < steps; i++) {
    const { loss, grads } = crossEntropyGradients(adapter, data.x, data.y, false);
    sgdStep(vars, grads, 0.5);
    tf.dispose([loss, ...grads]);
  }
  return model;
}
