import * as tf from '@tensorflow/tfjs-core';
import { hashWeights, isUnlearnError, toModelAdapter, unlearn, type UnlearnErrorCode } from '@unlearn/core';
import { tinyClassifier } from '@unlearn/core/testing';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { jit, type JitOptions } from '../src/index.js';

let model: LayersModel;
beforeEach(() => {
  model = tinyClassifier({ inputDim: 4, classes: 3 });
});
afterEach(() => model.dispose());

async function expectError(promise: Promise<unknown>, code: UnlearnErrorCode, message: RegExp) {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(isUnlearnError(error), `expected UnlearnError ${code}, got ${String(error)}`).toBe(true);
  expect((error as { code: string }).code).toBe(code);
  expect((error as Error).message).toMatch(message);
}

describe('option validation (before any work)', () => {
  const bad: [keyof JitOptions, unknown][] = [
    ['sigma', 0],
    ['sigma', -0.1],
    ['sigma', Number.NaN],
    ['lr', 0],
    ['lr', -1],
    ['lr', Number.POSITIVE_INFINITY],
    ['nSamples', 0],
    ['nSamples', 2.5],
    ['batchSize', 0],
    ['batchSize', 1.5],
    ['epochs', 0],
    ['chunkSize', 0],
    ['chunkSize', 'big'],
    ['accumulateGradients', 'yes'],
    ['training', 1],
    ['preset', 'cifar-resnet'],
    ['noise', 42],
  ];

  it.each(bad)('%s = %s is INVALID_OPTION naming the option, and the model is untouched', async (option, value) => {
    const x = tf.ones([4, 4]);
    try {
      const before = await hashWeights(toModelAdapter(model));
      const method = jit({ [option]: value } as Partial<JitOptions>);
      expect(() => method.validate?.()).toThrow(new RegExp(`option "${option}"`));
      await expectError(unlearn(model, { forget: { x } }, method, { inPlace: true }), 'INVALID_OPTION', new RegExp(`jit: option "${option}"`));
      expect(await hashWeights(toModelAdapter(model))).toBe(before);
    } finally {
      x.dispose();
    }
  });

  it('accepts the edge values nSamples 1, batchSize 1, chunkSize 1', () => {
    expect(() => jit({ nSamples: 1, batchSize: 1, chunkSize: 1, epochs: 1 }).validate?.()).not.toThrow();
  });
});

describe('forget-set errors reported by the runner for jit', () => {
  it('rejects an empty forget set', async () => {
    const x = tf.zeros([0, 4]);
    await expectError(unlearn(model, { forget: { x } }, jit()), 'EMPTY_DATASET', /jit: the forget set is empty/);
    x.dispose();
  });

  it('rejects forget inputs of the wrong shape', async () => {
    const x = tf.zeros([3, 5]);
    await expectError(unlearn(model, { forget: { x } }, jit()), 'SHAPE_MISMATCH', /jit: forget\.x has sample shape \[5\]/);
    x.dispose();
  });

  it('rejects forget inputs with NaN', async () => {
    const x = tf.tensor2d([[0, 1, Number.NaN, 2]]);
    await expectError(unlearn(model, { forget: { x } }, jit()), 'NON_FINITE', /jit: forget\.x contains NaN/);
    x.dispose();
  });

  it('rejects a noise function returning the wrong shape, restoring the model', async () => {
    const x = tf.ones([4, 4]);
    const before = await hashWeights(toModelAdapter(model));
    await expectError(
      unlearn(model, { forget: { x } }, jit({ noise: () => tf.zeros([2, 2]) }), { inPlace: true }),
      'INVALID_OPTION',
      /option "noise" must be a function returning a tensor of shape \[4, 4\]/,
    );
    expect(await hashWeights(toModelAdapter(model))).toBe(before);
    x.dispose();
  });

  it('reports DIVERGED and keeps the model when a huge learning rate blows the weights up', async () => {
    const x = tf.randomNormal([8, 4], 0, 1, 'float32', 1);
    const before = await hashWeights(toModelAdapter(model));
    await expectError(unlearn(model, { forget: { x } }, jit({ lr: 1e38, sigma: 0.5, nSamples: 2, batchSize: 2 }), { inPlace: true }), 'DIVERGED', /smaller learning rate/);
    expect(await hashWeights(toModelAdapter(model))).toBe(before);
    x.dispose();
  });
});
