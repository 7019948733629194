import { describe, it, expect, beforeAll } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import '@tensorflow/tfjs-backend-wasm';
import { selectBackend } from '@unlearn/core';
import { fitClassifier } from '@unlearn/mnist-fixture';
import { cifarLike, initWeights } from '../src/index.js';

beforeAll(async () => {
  // wasm: the same training takes about ten times longer on the pure-JS cpu backend.
  await selectBackend({ backend: 'wasm' });
});

function perClassAccuracy(model: tfl.LayersModel, x: tf.Tensor, y: tf.Tensor, classes: number): number[] {
  const predicted = tf.tidy(() => tf.argMax(model.predict(x) as tf.Tensor, 1));
  const p = predicted.dataSync();
  const t = y.dataSync();
  predicted.dispose();
  const hits = new Array<number>(classes).fill(0);
  const totals = new Array<number>(classes).fill(0);
  t.forEach((c, i) => {
    totals[c]!++;
    if (p[i] === c) hits[c]!++;
  });
  return hits.map((h, c) => h / totals[c]!);
}

describe('cifarLike is learnable, class by class', () => {
  it('a two-layer CNN reaches 90% on held-out samples in 8 epochs, every class 75% or more', async () => {
    const before = tf.memory().numTensors;
    const train = cifarLike({ n: 1000, seed: 1 });
    const test = cifarLike({ n: 500, seed: 2 });
    const model = tfl.sequential({
      layers: [
        tfl.layers.conv2d({ inputShape: [32, 32, 3], filters: 16, kernelSize: 5, strides: 2, activation: 'relu' }),
        tfl.layers.conv2d({ filters: 16, kernelSize: 3, strides: 2, activation: 'relu' }),
        tfl.layers.globalAveragePooling2d({}),
        tfl.layers.dense({ units: 10, activation: 'softmax' }),
      ],
    });
    initWeights(model, 1);
    const untrained = perClassAccuracy(model, test.x, test.y, 10);
    await fitClassifier(model, train, { epochs: 8, batchSize: 32, learningRate: 3e-3, seed: 1 });
    const trained = perClassAccuracy(model, test.x, test.y, 10);
    const mean = (v: number[]) => v.reduce((a, b) => a + b, 0) / v.length;
    expect(mean(untrained)).toBeLessThan(0.3);
    expect(mean(trained)).toBeGreaterThan(0.9);
    expect(Math.min(...trained)).toBeGreaterThanOrEqual(0.75);
    tf.dispose([train.x, train.y, test.x, test.y]);
    model.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});
