import * as tf from '@tensorflow/tfjs-core';
import { createRng, fromBatches, toModelAdapter, topOneAccuracy, unlearn, type UnlearnResult } from '@unlearn/core';
import { syntheticClassification, tinyBatchNormClassifier, tinyClassifier } from '@unlearn/core/testing';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import { afterAll, describe, expect, it } from 'vitest';
import { cycleBatches } from '../src/cycle.js';
import { negGradPlus } from '../src/index.js';
import { expectCode, hash, trainedClassifier } from './helpers.js';

const all = syntheticClassification({ n: 36, inputDim: 4, classes: 3, seed: 1 });
const labels = Array.from(all.y.dataSync());
const rows = (keep: (label: number) => boolean) => tf.tensor1d(labels.flatMap((l, i) => (keep(l) ? [i] : [])), 'int32');
const [fRows, rRows] = [rows((l) => l === 0), rows((l) => l !== 0)];
const forget = { x: tf.gather(all.x, fRows), y: tf.gather(all.y, fRows) };
const retain = { x: tf.gather(all.x, rRows), y: tf.gather(all.y, rRows) };
afterAll(() => tf.dispose([all.x, all.y, fRows, rRows, forget.x, forget.y, retain.x, retain.y]));

const small = { epochs: 3, batchSize: 8, forgetBatchSize: 4, learningRate: 0.2 };
const trained = () => trainedClassifier(all, { inputDim: 4, hidden: 8, classes: 3, seed: 1 });

describe('bad input is refused before any work, leaving the model as it was', () => {
  it.each([
    [{ forgetWeight: 0 }, /"forgetWeight" must be a finite number > 0 and <= 1 \(got 0\)/],
    [{ forgetWeight: 1.5 }, /"forgetWeight"/],
    [{ epochs: 0 }, /"epochs" must be an integer >= 1/],
    [{ forgetBatchSize: 2.5 }, /"forgetBatchSize"/],
    [{ anchorDecay: -1 }, /"anchorDecay" must be a finite number >= 0/],
    [{ momentum: 1 }, /"momentum"/],
    [{ beta: 0.9 }, /unknown option "beta"/],
    [{ preset: 'scrub' }, /"preset" must be one of 'scrub-small', 'neggrad'/],
  ])('an invalid option %j', async (options, message) => {
    const model = tinyClassifier({ inputDim: 4 });
    await expectCode(unlearn(model, { forget, retain }, negGradPlus(options as never)), 'INVALID_OPTION', message);
    model.dispose();
  });

  it('NegGrad+ without a retain set, or without labels', async () => {
    const model = tinyClassifier({ inputDim: 4 });
    const before = await hash(model);
    await expectCode(unlearn(model, { forget }, negGradPlus(small), { inPlace: true }), 'MISSING_DATA', /retain/);
    await expectCode(unlearn(model, { forget: { x: forget.x }, retain }, negGradPlus(small), { inPlace: true }), 'MISSING_LABELS');
    await expectCode(unlearn(model, { forget, retain: { x: retain.x } }, negGradPlus(small), { inPlace: true }), 'MISSING_LABELS');
    expect(await hash(model)).toBe(before);
    model.dispose();
  });

  it('[bad input] a streamed forget or retain set whose second batch holds a NaN input or a class index out of range → NON_FINITE or LABEL_OUT_OF_RANGE located at the split and row (the runner checks every stream); the model unchanged; no tensor leaked', async () => {
    const model = trained();
    const before = await hash(model);
    const streamOf = (set: { x: tf.Tensor; y: tf.Tensor }, bad: 'nan' | 'label') =>
      fromBatches(
        async function* () {
          yield { x: tf.slice(set.x, 0, 4), y: tf.slice(set.y, 0, 4) as tf.Tensor1D };
          yield bad === 'nan'
            ? { x: tf.tidy(() => tf.concat([tf.slice(set.x, 4, 1), tf.fill([1, 4], Number.NaN), tf.slice(set.x, 6, 2)])), y: tf.slice(set.y, 4, 4) as tf.Tensor1D }
            : { x: tf.slice(set.x, 4, 4), y: tf.tensor1d([0, 0, 3, 0], 'int32') };
        },
        { size: 8, hasLabels: true },
      );
    for (const split of ['forget', 'retain'] as const) {
      for (const [bad, code, location] of [
        ['nan', 'NON_FINITE', { field: 'x', index: 5 }],
        ['label', 'LABEL_OUT_OF_RANGE', { field: 'y', index: 6 }],
      ] as const) {
        const tensors = tf.memory().numTensors;
        const request = split === 'forget' ? { forget: streamOf(forget, bad), retain } : { forget, retain: streamOf(retain, bad) };
        const error = await expectCode(unlearn(model, request, negGradPlus({ ...small, epochs: 1, batchSize: 4 }), { inPlace: true }), code);
        expect({ split: error.split, field: error.field, index: error.index }, `${split} ${bad}`).toEqual({ split, ...location });
        expect(tf.memory().numTensors, `${split} ${bad}`).toBe(tensors);
      }
    }
    expect(await hash(model)).toBe(before);
    model.dispose();
  });
});

describe('plain NegGrad (forgetWeight 1)', () => {
  it('needs no retain set and raises the forget loss', async () => {
    const model = trained();
    const result = await unlearn(model, { forget }, negGradPlus({ preset: 'neggrad', epochs: 2, batchSize: 4, learningRate: 0.2 }), { seed: 1 });
    expect(result.details.plain).toBe(true);
    expect(result.details.beta).toBe(0);
    // Each step is −CE of a forget batch, so the loss it reports is negative and falls.
    const history = result.details.history;
    expect(history[1]!.loss).toBeLessThan(history[0]!.loss);
    expect(history[0]!.loss).toBeLessThan(0);
    (result.model as LayersModel).dispose();
    model.dispose();
  });

  it('an ascent that runs to infinity stops with DIVERGED naming forgetWeight; the model is unchanged', async () => {
    const model = tinyClassifier({ inputDim: 4 });
    const before = await hash(model);
    const leakBase = tf.memory().numTensors;
    const method = negGradPlus({ preset: 'neggrad', epochs: 20, batchSize: 4, learningRate: 1e6, checkEvery: 1 });
    const error = await expectCode(unlearn(model, { forget, retain }, method, { inPlace: true }), 'DIVERGED', /lower forgetWeight \(1\) or learningRate \(1000000\)/);
    expect(error.message).toMatch(/unbounded below/);
    expect(await hash(model)).toBe(before);
    expect(tf.memory().numTensors).toBe(leakBase);
    model.dispose();
  });
});

describe('NegGrad+', () => {
  it('a heavier forget weight forgets the class more', async () => {
    const model = trained();
    const forgetAcc: number[] = [];
    for (const forgetWeight of [0.05, 0.8]) {
      const result = await unlearn(model, { forget, retain }, negGradPlus({ ...small, forgetWeight }), { seed: 1 });
      forgetAcc.push(await topOneAccuracy(toModelAdapter(result.model), forget));
      (result.model as LayersModel).dispose();
    }
    expect(await topOneAccuracy(toModelAdapter(model), forget)).toBe(1);
    expect(forgetAcc[1]).toBeLessThan(forgetAcc[0]!);
    expect(forgetAcc[1]).toBe(0);
    model.dispose();
  });

  it('reads a streamed forget set, cycled as often as the retain batches need', async () => {
    const model = trained();
    let passes = 0;
    // 12 forget rows in batches of 4: 3 per pass; 24 retain rows in batches of 2 need 12 per epoch.
    const stream = fromBatches(
      async function* (bs) {
        passes++;
        for (let s = 0; s < 12; s += bs) yield { x: tf.slice(forget.x, s, bs), y: tf.slice(forget.y, s, bs) };
      },
      { size: 12, hasLabels: true },
    );
    const result = await unlearn(model, { forget: stream, retain }, negGradPlus({ ...small, epochs: 1, batchSize: 2 }), { seed: 1 });
    expect(passes).toBe(4);
    (result.model as LayersModel).dispose();
    model.dispose();
  });
});

describe('cycleBatches', () => {
  it('covers every row on each pass, reshuffled per pass with the seeded generator', async () => {
    const x = tf.tidy(() => tf.reshape(tf.range(0, 5), [5, 1]));
    const data = { x, y: tf.zeros([5], 'int32') };
    const read = async (rng?: ReturnType<typeof createRng>) => {
      const cycle = cycleBatches(data, 2, rng);
      const out: number[] = [];
      for (let i = 0; i < 9; i++) out.push(...(await cycle.next()).x.dataSync());
      await cycle.close();
      return out;
    };
    const inOrder = await read();
    expect(inOrder).toEqual([0, 1, 2, 3, 4, 0, 1, 2, 3, 4, 0, 1, 2, 3, 4]);
    const a = await read(createRng(3));
    expect(await read(createRng(3))).toEqual(a);
    for (const pass of [a.slice(0, 5), a.slice(5, 10), a.slice(10, 15)]) expect([...pass].sort()).toEqual([0, 1, 2, 3, 4]);
    expect(a.slice(0, 5)).not.toEqual(a.slice(5, 10));
    tf.dispose([x, data.y]);
  });

  it('refuses a stream that yields nothing instead of looping', async () => {
    const cycle = cycleBatches(fromBatches(async function* () {}, { size: 0, hasLabels: true }), 2, undefined);
    const err = await expectCode(cycle.next(), 'EMPTY_DATASET', /forget set yielded no batches/);
    expect(err).toMatchObject({ split: 'forget', field: 'x' });
  });
});

describe('batch normalisation and dropout', () => {
  it('both forward passes run in training mode: the moving statistics change', async () => {
    const model = tinyBatchNormClassifier({ inputDim: 4, seed: 3 });
    const tensors = tf.memory().numTensors;
    const result: UnlearnResult = await unlearn(model, { forget, retain }, negGradPlus({ ...small, epochs: 1 }), { seed: 1 });
    expect(result.changes.filter((c) => !c.trainable).map((c) => c.changed)).toEqual([16, 16]);
    // Retain-only batches would change them too; plain NegGrad sees forget batches only.
    const plain = await unlearn(model, { forget }, negGradPlus({ preset: 'neggrad', epochs: 1, batchSize: 4, learningRate: 0.01 }), { seed: 1 });
    expect(plain.changes.filter((c) => !c.trainable).map((c) => c.changed)).toEqual([16, 16]);
    (result.model as LayersModel).dispose();
    (plain.model as LayersModel).dispose();
    expect(tf.memory().numTensors).toBe(tensors);
    model.dispose();
  });
});
