import * as tf from '@tensorflow/tfjs-core';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import { createUnlearner, fromBatches, toModelAdapter, topOneAccuracy, unlearn } from '@unlearn/core';
import { syntheticClassification, tinyBatchNormClassifier, tinyClassifier } from '@unlearn/core/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { amnesiac, AMNESIAC_PRESETS, DEFAULT_AMNESIAC_OPTIONS } from '../src/index.js';
import { expectCode, hash } from './helpers.js';

const data = syntheticClassification({ n: 48, inputDim: 4, classes: 3, seed: 5 });
const forget = { x: tf.slice(data.x, 0, 12), y: tf.slice(data.y, 0, 12) };
const retain = { x: tf.slice(data.x, 12), y: tf.slice(data.y, 12) };
afterAll(() => tf.dispose([data.x, data.y, forget.x, forget.y, retain.x, retain.y]));

describe('amnesiac', () => {
  it("defaults to the reference repositories' recipe: 3 epochs of Adam 1e-4, batch 128", () => {
    expect(DEFAULT_AMNESIAC_OPTIONS).toMatchObject({ epochs: 3, batchSize: 128, optimizer: 'adam', learningRate: 1e-4, weightDecay: 0, preset: 'reference' });
    expect(AMNESIAC_PRESETS.reference!.source).toMatch(/selective-synaptic-dampening/);
    expect(createUnlearner('amnesiac', { epochs: 1 }).options.epochs).toBe(1);
  });

  it('forgets a whole class: its examples move to other labels while the retain set keeps its own', async () => {
    // Class forgetting, where a wrong label cannot be learnt back from the retain set.
    const labels = Array.from(await data.y.data());
    const pick = (keep: (c: number) => boolean) => {
      const idx = tf.tensor1d(labels.flatMap((c, i) => (keep(c) ? [i] : [])), 'int32');
      const set = { x: tf.gather(data.x, idx), y: tf.gather(data.y, idx) };
      idx.dispose();
      return set;
    };
    const classForget = pick((c) => c === 0);
    const classRetain = pick((c) => c !== 0);
    // A model first fitted on all the data, so that there is something to forget.
    const model = tinyClassifier({ inputDim: 4, hidden: 16, classes: 3, seed: 2 });
    const fitted = await unlearn(model, { forget, retain: data }, createUnlearner('finetune', { epochs: 20, batchSize: 8, learningRate: 0.05 }), { seed: 1 });
    const base = fitted.model as LayersModel;
    expect(await topOneAccuracy(toModelAdapter(base), classForget)).toBeGreaterThan(0.9);
    const result = await unlearn(base, { forget: classForget, retain: classRetain }, amnesiac({ epochs: 10, batchSize: 8, learningRate: 0.01 }), { seed: 1 });
    const after = result.model as LayersModel;
    expect(await topOneAccuracy(toModelAdapter(after), classForget)).toBeLessThan(0.2);
    expect(await topOneAccuracy(toModelAdapter(after), classRetain)).toBeGreaterThan(0.9);
    const n = classForget.x.shape[0]!;
    expect(result.details).toMatchObject({ relabelled: n, retained: 48 - n, classes: 3, epochsRun: 10 });
    for (const m of [model, base, after]) m.dispose();
    tf.dispose([classForget.x, classForget.y, classRetain.x, classRetain.y]);
  });

  it('trains in training mode, so batch-normalisation statistics move', async () => {
    const bnData = syntheticClassification({ n: 24, inputDim: 8, classes: 3, seed: 7 });
    const f = { x: tf.slice(bnData.x, 0, 8), y: tf.slice(bnData.y, 0, 8) };
    const r = { x: tf.slice(bnData.x, 8), y: tf.slice(bnData.y, 8) };
    const model = tinyBatchNormClassifier({ seed: 3 });
    const result = await unlearn(model, { forget: f, retain: r }, amnesiac({ epochs: 1, batchSize: 8 }), { seed: 1 });
    expect(result.changes.filter((c) => !c.trainable).map((c) => c.changed)).toEqual([16, 16]);
    (result.model as LayersModel).dispose();
    model.dispose();
    tf.dispose([bnData.x, bnData.y, f.x, f.y, r.x, r.y]);
  });

  it('refuses bad input before any work and leaves an in-place model unchanged', async () => {
    const model = tinyClassifier({ inputDim: 4 });
    const before = await hash(model);
    const run = (request: Parameters<typeof unlearn>[1], options = {}) => unlearn(model, request, amnesiac(options), { inPlace: true });
    await expectCode(run({ forget }), 'MISSING_DATA', /retain/);
    await expectCode(run({ forget: { x: forget.x }, retain }), 'MISSING_LABELS');
    await expectCode(run({ forget, retain: { x: retain.x } }), 'MISSING_LABELS', /retain/);
    const stream = fromBatches(async function* () {}, { size: 4, hasLabels: true });
    await expectCode(run({ forget, retain: stream }), 'UNSUPPORTED_REQUEST', /streamed retain set is not supported/);
    await expectCode(run({ forget: stream, retain }), 'UNSUPPORTED_REQUEST', /streamed forget set/);
    await expectCode(run({ forget, retain }, { learningRate: 0 }), 'INVALID_OPTION', /"learningRate"/);
    await expectCode(run({ forget, retain }, { epoch: 3 }), 'INVALID_OPTION', /did you mean "epochs"/);
    await expectCode(run({ forget, retain }, { preset: 'cifar' }), 'INVALID_OPTION', /"preset"/);
    // Diverging mid-run: the runner restores the weights.
    await expectCode(run({ forget, retain }, { optimizer: 'sgd', learningRate: 1e30, batchSize: 4, epochs: 2 }), 'DIVERGED');
    expect(await hash(model)).toBe(before);
    model.dispose();
  });

  it('needs two classes to draw a wrong label', async () => {
    const model = tinyClassifier({ inputDim: 4, classes: 1 });
    const zeros = { x: forget.x, y: tf.zeros([12], 'int32') };
    const before = await hash(model);
    await expectCode(unlearn(model, { forget: zeros, retain: { x: retain.x, y: tf.zeros([36], 'int32') } }, amnesiac(), { inPlace: true }), 'UNSUPPORTED_REQUEST', /at least 2 classes/);
    expect(await hash(model)).toBe(before);
    zeros.y.dispose();
    model.dispose();
  });
});
