import * as tf from '@tensorflow/tfjs-core';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import { createRng, fromBatches, hashWeights, toModelAdapter, topOneAccuracy, unlearn, type Dataset } from '@unlearn/core';
import { tinyBatchNormClassifier, tinyClassifier } from '@unlearn/core/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { sampleRows } from '../src/classes.js';
import { unsir } from '../src/index.js';
import { learnNoise } from '../src/noise.js';
import { classForgetting, expectCode, hash } from './helpers.js';

const task = classForgetting();
const { forget, retain } = task.request;
afterAll(() => {
  task.dispose();
  task.model.dispose();
});

const small = { noiseBatch: 8, noiseSteps: 5, noiseCopies: 4, retainPerClass: 8, impairBatchSize: 8, repairBatchSize: 8 };

const stream = (data: { x: tf.Tensor; y: tf.Tensor }): Dataset =>
  fromBatches(
    async function* (bs) {
      const n = data.x.shape[0]!;
      for (let s = 0; s < n; s += bs) yield { x: tf.slice(data.x, s, Math.min(bs, n - s)), y: tf.slice(data.y, s, Math.min(bs, n - s)) as tf.Tensor1D };
    },
    { size: data.x.shape[0]!, hasLabels: true },
  );

describe('requests unsir refuses, leaving the model as it was', () => {
  it('a forget set that shares a class with the retain set (random forgetting)', async () => {
    const leakBase = tf.memory().numTensors;
    const before = await hash(task.model);
    // Two class-1 rows join the forget set while class 1 stays in the retain set.
    const mixed = tf.tidy(() => ({ x: tf.concat([forget.x, tf.slice(retain.x, 0, 2)]), y: tf.concat([forget.y, tf.slice(retain.y, 0, 2)]) }));
    const error = await expectCode(unlearn(task.model, { forget: mixed, retain }, unsir(small), { inPlace: true }), 'UNSUPPORTED_REQUEST', /whole classes only, but class 1 is in the forget set and also in the retain set \(12 retain rows\)/);
    expect(error.message).toMatch(/neggrad-plus/);
    // Streams are read for their labels just the same.
    await expectCode(unlearn(task.model, { forget: stream(mixed), retain: stream(retain) }, unsir(small), { inPlace: true }), 'UNSUPPORTED_REQUEST', /class 1/);
    expect(await hash(task.model)).toBe(before);
    tf.dispose([mixed.x, mixed.y]);
    expect(tf.memory().numTensors).toBe(leakBase);
  });

  it('no retain set, or no labels', async () => {
    const before = await hash(task.model);
    await expectCode(unlearn(task.model, { forget }, unsir(small), { inPlace: true }), 'MISSING_DATA', /retain/);
    await expectCode(unlearn(task.model, { forget: { x: forget.x }, retain }, unsir(small), { inPlace: true }), 'MISSING_LABELS');
    await expectCode(unlearn(task.model, { forget, retain: { x: retain.x } }, unsir(small), { inPlace: true }), 'MISSING_LABELS');
    expect(await hash(task.model)).toBe(before);
  });

  it.each([
    [{ noiseBatch: 0 }, /"noiseBatch" must be an integer >= 1/],
    [{ noiseRegularization: -0.1 }, /"noiseRegularization" must be a finite number >= 0/],
    [{ impairLearningRate: 0 }, /"impairLearningRate" must be a finite number > 0/],
    [{ retainPerClass: 1.5 }, /"retainPerClass"/],
    [{ noiseStep: 3 }, /unknown option "noiseStep"; did you mean "noiseSteps"\?/],
    [{ preset: 'notebook' }, /"preset" must be one of 'reference', 'unsir-notebook'/],
  ])('an invalid option %j', async (options, message) => {
    const model = tinyClassifier({ inputDim: 4 });
    await expectCode(unlearn(model, { forget, retain }, unsir(options as never)), 'INVALID_OPTION', message);
    model.dispose();
  });
});

describe('unsir', () => {
  it('forgets the class and keeps the others, reporting each phase', async () => {
    expect(await topOneAccuracy(toModelAdapter(task.model), forget)).toBe(1);
    // The reference's impair rate (1e-4) leaves this tiny problem's class untouched; a strong
    // impair step (the strength auto mode raises) forgets it.
    const weak = await unlearn(task.model, { forget, retain }, unsir(small), { seed: 2 });
    expect(await topOneAccuracy(toModelAdapter(weak.model), forget)).toBe(1);
    (weak.model as LayersModel).dispose();
    const result = await unlearn(task.model, { forget, retain }, unsir({ ...small, impairLearningRate: 0.3, impairEpochs: 3 }), { seed: 2 });
    const model = result.model as LayersModel;
    expect(await topOneAccuracy(toModelAdapter(model), forget)).toBeLessThanOrEqual(0.2);
    expect(await topOneAccuracy(toModelAdapter(model), retain)).toBeGreaterThanOrEqual(0.9);
    const d = result.details;
    expect(d.forgottenClasses).toEqual([0]);
    expect(d.retainSample).toBe(16); // 8 of each kept class
    expect(d.impairRows).toBe(8 * 4 + 16);
    expect([d.impair.batches, d.repair.batches]).toEqual([18, 2]);
    // The noise maximises the loss: −CE falls as the steps run.
    expect(d.noise[0]!.lossAfter).toBeLessThan(d.noise[0]!.lossBefore);
    model.dispose();
  });

  it('gives the same weights from streamed forget and retain sets', async () => {
    const a = await unlearn(task.model, { forget, retain }, unsir(small), { seed: 4 });
    const b = await unlearn(task.model, { forget: stream(forget), retain: stream(retain) }, unsir(small), { seed: 4 });
    expect(await hashWeights(toModelAdapter(b.model))).toBe(await hashWeights(toModelAdapter(a.model)));
    (a.model as LayersModel).dispose();
    (b.model as LayersModel).dispose();
  });

  it('moves batch-normalisation statistics in impair and repair only (training mode), not while learning the noise', async () => {
    const model = tinyBatchNormClassifier({ inputDim: 4, seed: 3 });
    const adapter = toModelAdapter(model);
    const before = await hashWeights(adapter);
    const init = tf.randomNormal([8, 4], 0, 1, 'float32', 1);
    const learned = await learnNoise(adapter, 0, init, { steps: 3, learningRate: 0.1, regularization: 0.1, onStep: () => {} });
    expect(await hashWeights(adapter)).toBe(before);
    expect(learned.noise.shape).toEqual([8, 4]);
    tf.dispose([init, learned.noise]);
    const result = await unlearn(model, { forget, retain }, unsir(small), { seed: 1 });
    expect(result.changes.filter((c) => !c.trainable).map((c) => c.changed)).toEqual([16, 16]);
    (result.model as LayersModel).dispose();
    model.dispose();
  });
});

describe('sampleRows', () => {
  it('takes up to perClass rows of each class without replacement, seeded, ascending', () => {
    const labels = Int32Array.from([0, 1, 0, 1, 0, 1, 0, 2]);
    const a = sampleRows(labels, 2, createRng(1));
    expect(a).toEqual([...a].sort((x, y) => x - y));
    expect(a.map((r) => labels[r])).toEqual(expect.arrayContaining([0, 0, 1, 1, 2]));
    expect(a.length).toBe(5); // 2 + 2 + the only class-2 row
    expect(new Set(a).size).toBe(5);
    expect(sampleRows(labels, 2, createRng(1))).toEqual(a);
    expect(sampleRows(labels, 10, createRng(1))).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
  });
});
