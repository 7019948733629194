import * as tf from '@tensorflow/tfjs-core';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import { isUnlearnError, unlearn } from '@unlearn/core';
import { syntheticClassification, tinyClassifier } from '@unlearn/core/testing';
import { describe, expect, it } from 'vitest';
import { gradientAscent } from '../src/index.js';

async function meanCrossEntropy(model: LayersModel, x: tf.Tensor, y: tf.Tensor1D): Promise<number> {
  const probs = model.predict(x) as tf.Tensor;
  const loss = tf.tidy(() => tf.neg(tf.mean(tf.sum(tf.mul(tf.oneHot(y, probs.shape[1]!), tf.log(tf.add(probs, 1e-7))), 1))));
  const value = (await loss.data())[0]!;
  tf.dispose([probs, loss]);
  return value;
}

describe('gradient-ascent', () => {
  it('raises the cross-entropy of the forget set', async () => {
    const data = syntheticClassification({ n: 12, inputDim: 4, classes: 3 });
    const model = tinyClassifier({ inputDim: 4, classes: 3 });
    const before = await meanCrossEntropy(model, data.x, data.y);
    const result = await unlearn(model, { forget: data }, gradientAscent({ lr: 0.1, batchSize: 4, epochs: 2, maxLoss: 100 }));
    const after = await meanCrossEntropy(result.model, data.x, data.y);
    expect(after).toBeGreaterThan(before);
    expect(result.details).toMatchObject({ steps: 6, stoppedEarly: false });
    result.model.dispose();
    model.dispose();
    tf.dispose([data.x, data.y]);
  });

  it('stops at the first batch whose loss passes maxLoss', async () => {
    const data = syntheticClassification({ n: 12, inputDim: 4, classes: 3 });
    const model = tinyClassifier({ inputDim: 4, classes: 3 });
    const result = await unlearn(model, { forget: data }, gradientAscent({ lr: 0.1, batchSize: 4, epochs: 5, maxLoss: 1e-3 }));
    expect(result.details).toMatchObject({ steps: 1, stoppedEarly: true });
    result.model.dispose();
    model.dispose();
    tf.dispose([data.x, data.y]);
  });

  it('refuses unlabelled forget data before any work', async () => {
    const x = tf.zeros([4, 4]);
    const model = tinyClassifier({ inputDim: 4, classes: 3 });
    const error = await unlearn(model, { forget: { x } }, gradientAscent()).catch((e: unknown) => e);
    expect(isUnlearnError(error, 'MISSING_LABELS')).toBe(true);
    model.dispose();
    x.dispose();
  });

  it.each([
    ['lr', { lr: 0 }],
    ['epochs', { epochs: 1.5 }],
    ['batchSize', { batchSize: 0 }],
    ['maxLoss', { maxLoss: Number.NaN }],
  ] as const)('names the bad option %s', (name, options) => {
    expect(() => gradientAscent(options).validate?.()).toThrow(new RegExp(`option "${name}"`));
  });
});
