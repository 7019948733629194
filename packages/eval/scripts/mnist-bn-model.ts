import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import { createRng, seedWeights } from '@unlearn/core';
import type { MnistSplit } from '@unlearn/mnist-fixture';

/** PyTorch's usual MNIST normalisation. */
export const MEAN = 0.1307;
export const STD = 0.3081;

/** A split with inputs standardised as PyTorch users do, x' = (x - 0.1307) / 0.3081. */
export function standardise(s: MnistSplit): MnistSplit {
  return { x: tf.tidy(() => tf.div(tf.sub(s.x, MEAN), STD)) as tf.Tensor4D, y: tf.clone(s.y) };
}

/**
 * tfjs draws dropout masks (and nothing else here) from an unseeded generator seeded by
 * Math.random; running the training with a seeded Math.random makes it reproducible.
 */
export async function withSeededRandom<T>(seed: number, fn: () => Promise<T>): Promise<T> {
  const saved = Math.random;
  const rng = createRng(seed).fork('math-random');
  Math.random = () => rng.next();
  try {
    return await fn();
  } finally {
    Math.random = saved;
  }
}

/**
 * conv5x5x12(same)-BN-relu-maxpool2, conv3x3x24(same)-BN-relu-maxpool2, dropout 0.25,
 * dense48-BN-relu, dropout 0.4, dense10 (logits, no softmax). Model A is conv3x3x16(valid)-relu-
 * maxpool2, conv3x3x32(valid)-relu-maxpool2, dense128-relu, dense10-softmax on [0, 1] inputs.
 * Batch-norm momentum 0.9 is PyTorch's default (its momentum 0.1).
 */
export function buildModelB(seed: number): LayersModel {
  const bn = () => tfl.layers.batchNormalization({ momentum: 0.9, epsilon: 1e-5 });
  const model = tfl.sequential({
    name: 'mnist_bn_cnn',
    layers: [
      tfl.layers.conv2d({ inputShape: [28, 28, 1], filters: 12, kernelSize: 5, padding: 'same', useBias: false }),
      bn(),
      tfl.layers.activation({ activation: 'relu' }),
      tfl.layers.maxPooling2d({ poolSize: 2 }),
      tfl.layers.conv2d({ filters: 24, kernelSize: 3, padding: 'same', useBias: false }),
      bn(),
      tfl.layers.activation({ activation: 'relu' }),
      tfl.layers.maxPooling2d({ poolSize: 2 }),
      tfl.layers.flatten(),
      tfl.layers.dropout({ rate: 0.25 }),
      tfl.layers.dense({ units: 48, useBias: false }),
      bn(),
      tfl.layers.activation({ activation: 'relu' }),
      tfl.layers.dropout({ rate: 0.4 }),
      tfl.layers.dense({ units: 10 }),
    ],
  });
  // Seeded Glorot kernels; batch norm starts at the identity (gamma 1, beta 0, mean 0, variance 1).
  seedWeights(model, seed);
  for (const layer of model.layers) {
    if (layer.getClassName() !== 'BatchNormalization') continue;
    const values = layer.getWeights().map((w, i) => (i === 0 || i === 3 ? tf.onesLike(w) : tf.zerosLike(w)));
    layer.setWeights(values);
    tf.dispose(values);
  }
  return model;
}

