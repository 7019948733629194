import * as tf from '@tensorflow/tfjs-core';
import { afterAll, describe, expect, it } from 'vitest';
import {
  accumulateImportance,
  crossEntropyGradients,
  defineUnlearner,
  hashWeights,
  sgdStep,
  toModelAdapter,
  unlearn,
  type ModelAdapter,
} from '../src/index.js';
import { syntheticClassification, tinyBatchNormClassifier } from '../src/testing/index.js';
import { gradientAscent } from './helpers.js';

// The mode semantics every method builds on (docs/guide/models.md, Batch normalisation and
// dropout): inference unless training is asked for, and only training updates the statistics.
const data = syntheticClassification({ n: 24, inputDim: 8, classes: 3, seed: 2 });
afterAll(() => tf.dispose([data.x, data.y]));

const state = (a: ModelAdapter) => a.variables.filter((v) => !v.trainable);
const stateValues = (a: ModelAdapter) => Promise.all(state(a).map(async (v) => Array.from(await v.variable.data())));
const read = async (t: tf.Tensor) => {
  const values = Array.from(await t.data());
  t.dispose();
  return values;
};

describe('batch normalisation and dropout in the model adapter', () => {
  it('the model has moving statistics as non-trainable state, and γ, β as trainable variables', () => {
    const model = tinyBatchNormClassifier();
    const a = toModelAdapter(model);
    expect(state(a).map((v) => v.name.split('/')[1])).toEqual(['moving_mean', 'moving_variance']);
    expect(a.trainable.map((v) => v.name.split('/')[1])).toContain('gamma');
    expect(a.trainable.map((v) => v.name.split('/')[1])).toContain('beta');
    model.dispose();
  });

  it('forward passes are in inference mode by default: statistics untouched, dropout off (same output twice)', async () => {
    const model = tinyBatchNormClassifier();
    const a = toModelAdapter(model);
    const before = await stateValues(a);
    const tensors = tf.memory().numTensors;
    const first = await read(a.logits(data.x));
    const second = await read(a.logits(data.x));
    const probs = await read(a.probabilities(data.x));
    expect(second).toEqual(first);
    expect(probs.every(Number.isFinite)).toBe(true);
    expect(await stateValues(a)).toEqual(before);
    expect(tf.memory().numTensors).toBe(tensors);
    model.dispose();
  });

  it('training: true uses batch statistics, updates the moving ones and drops units (outputs differ)', async () => {
    const model = tinyBatchNormClassifier();
    const a = toModelAdapter(model);
    const before = await stateValues(a);
    const first = await read(a.logits(data.x, { training: true }));
    const second = await read(a.logits(data.x, { training: true }));
    expect(second).not.toEqual(first);
    const after = await stateValues(a);
    after.forEach((values, i) => expect(values).not.toEqual(before[i]));
    model.dispose();
  });
});

describe('batch normalisation in the gradient helpers', () => {
  it('accumulateImportance (SSD, LF-SSD) leaves the statistics untouched and gives the same importances twice', async () => {
    const model = tinyBatchNormClassifier();
    const a = toModelAdapter(model);
    const before = await stateValues(a);
    const loss = (m: ModelAdapter, b: { x: tf.Tensor; y?: tf.Tensor }) =>
      tf.losses.softmaxCrossEntropy(tf.oneHot(b.y as tf.Tensor1D, 3), m.logits(b.x)) as tf.Scalar;
    const tensors = tf.memory().numTensors;
    const runs = [];
    for (let r = 0; r < 2; r++) {
      const imps = await accumulateImportance(a, data, { batchSize: 8, loss, reduce: 'square' });
      runs.push(await Promise.all(imps.map(read)));
    }
    expect(tf.memory().numTensors).toBe(tensors);
    expect(runs[1]).toEqual(runs[0]);
    const gamma = a.trainable.findIndex((v) => v.name.endsWith('/gamma'));
    expect(runs[0]![gamma]!.some((v) => v > 0), 'γ has an importance like any parameter').toBe(true);
    expect(await stateValues(a)).toEqual(before);
    model.dispose();
  });

  it('crossEntropyGradients (the retrain and finetune step) trains in training mode and updates the statistics', async () => {
    const model = tinyBatchNormClassifier();
    const a = toModelAdapter(model);
    const before = await stateValues(a);
    const { loss, grads } = crossEntropyGradients(a, data.x, data.y);
    tf.dispose([loss, ...grads]);
    const after = await stateValues(a);
    after.forEach((values, i) => expect(values).not.toEqual(before[i]));
    const frozen = await stateValues(a);
    const inference = crossEntropyGradients(a, data.x, data.y, false);
    tf.dispose([inference.loss, ...inference.grads]);
    expect(await stateValues(a)).toEqual(frozen);
    model.dispose();
  });
});

describe('per-layer changes in the unlearn result', () => {
  it('an inference-mode method changes γ and β but no statistics; the batch-norm layer reports stateChanged 0', async () => {
    const model = tinyBatchNormClassifier();
    const before = await stateValues(toModelAdapter(model));
    const result = await unlearn(model, { forget: data }, gradientAscent({ steps: 2 }));
    const bn = result.layers.find((l) => l.variables.some((v) => v.endsWith('/moving_mean')))!;
    expect(bn.variables.map((v) => v.split('/')[1])).toEqual(['gamma', 'beta', 'moving_mean', 'moving_variance']);
    expect(bn.changed).toBeGreaterThan(0);
    expect(bn.stateChanged).toBe(0);
    expect(result.changes.filter((c) => !c.trainable).map((c) => c.changed)).toEqual([0, 0]);
    expect(result.layers.reduce((n, l) => n + l.size, 0)).toBe(result.changes.reduce((n, c) => n + c.size, 0));
    expect(result.layers).toHaveLength(3); // two dense layers and the batch norm: activation and dropout have no weights
    expect(await stateValues(toModelAdapter(result.model))).toEqual(before);
    result.model.dispose();
    model.dispose();
  });

  it('a training-mode method reports the statistics it moved as stateChanged', async () => {
    const trainStep = defineUnlearner({
      name: 'test-train-step',
      options: {},
      needs: { labels: true },
      async unlearn(ctx) {
        const { x, y } = ctx.request.forget as { x: tf.Tensor; y: tf.Tensor };
        const { loss, grads } = crossEntropyGradients(ctx.model, x, y);
        sgdStep(ctx.model.trainable.map((v) => v.variable), grads, 0.01);
        tf.dispose([loss, ...grads]);
      },
    });
    const model = tinyBatchNormClassifier();
    const hash = await hashWeights(toModelAdapter(model));
    const tensors = tf.memory().numTensors;
    const result = await unlearn(model, { forget: data }, trainStep);
    const bn = result.layers.find((l) => l.variables.some((v) => v.endsWith('/moving_mean')))!;
    expect(bn.stateChanged).toBe(2 * 16);
    expect(await hashWeights(toModelAdapter(model)), "the caller's copy keeps its statistics").toBe(hash);
    result.model.dispose();
    expect(tf.memory().numTensors).toBe(tensors);
    model.dispose();
  });
});
