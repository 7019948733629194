import * as tfl from '@tensorflow/tfjs-layers';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import { seedWeights } from '@unlearn/core';

/**
 * The reference MNIST CNN of this project's demo, benchmarks and reports:
 * conv3x3x16-relu-maxpool2, conv3x3x32-relu-maxpool2, dense128-relu, dense`classes`-softmax.
 * `classes` is 10 for digits, 5 for the coarse digit pairs of the sub-class scenario
 * (src/coarse.ts); only the output layer's width changes, so the 10-class model is built
 * and initialised exactly as before.
 */
export function buildMnistCnn(seed = 1, classes = 10): LayersModel {
  if (!Number.isInteger(classes) || classes < 2) throw new Error(`buildMnistCnn: classes must be an integer >= 2, got ${classes}`);
  const model = tfl.sequential({
    name: classes === 10 ? 'mnist_cnn' : `mnist_cnn_${classes}`,
    layers: [
      tfl.layers.conv2d({ inputShape: [28, 28, 1], filters: 16, kernelSize: 3, activation: 'relu' }),
      tfl.layers.maxPooling2d({ poolSize: 2 }),
      tfl.layers.conv2d({ filters: 32, kernelSize: 3, activation: 'relu' }),
      tfl.layers.maxPooling2d({ poolSize: 2 }),
      tfl.layers.flatten(),
      tfl.layers.dense({ units: 128, activation: 'relu' }),
      tfl.layers.dense({ units: classes, activation: 'softmax' }),
    ],
  });
  seedWeights(model, seed);
  return model;
}

/** An MLP 784-256-128-10 on flattened digits, for dense-only workloads. */
export function buildMnistMlp(seed = 1): LayersModel {
  const model = tfl.sequential({
    name: 'mnist_mlp',
    layers: [
      tfl.layers.flatten({ inputShape: [28, 28, 1] }),
      tfl.layers.dense({ units: 256, activation: 'relu' }),
      tfl.layers.dense({ units: 128, activation: 'relu' }),
      tfl.layers.dense({ units: 10, activation: 'softmax' }),
    ],
  });
  seedWeights(model, seed);
  return model;
}
