import * as tf from '@tensorflow/tfjs-core';
import { createUnlearner, hashWeights, registeredUnlearners, toModelAdapter, unlearn, } from '@unlearn/core';
import { syntheticClassification, tinyClassifier } from '@unlearn/core/testing';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { computeImportances, disposeImportances, lfSsd } from '../src/index.js';
import { expectUnlearnError as expectCode } from '@unlearn/core/vitest';

let model: LayersModel;
let all: { x: tf.Tensor2D; y: tf.Tensor1D };
let forget: { x: tf.Tensor };
let train: { x: tf.Tensor };
beforeEach(() => {
  model = tinyClassifier({ inputDim: 4, hidden: 8, classes: 3, seed: 1 });
  all = syntheticClassification({ n: 36, inputDim: 4, classes: 3, seed: 1 });
  forget = { x: tf.slice(all.x, 0, 12) };
  train = { x: all.x };
});
afterEach(() => {
  model.dispose();
  tf.dispose([all.x, all.y, forget.x]);
});


describe('lfSsd()', () => {
  it('is registered with the SSD defaults and needs no labels', () => {
    const info = registeredUnlearners().find((m) => m.name === 'lf-ssd');
    expect(info).toMatchObject({ source: '@unlearn/lf-ssd', defaults: { alpha: 10, lambda: 1, exponent: 1, cap: 1, batchSize: 64 } });
    expect(lfSsd().needs).toEqual({ labels: false, train: true, acceptsImportances: true });
    expect(createUnlearner('lf-ssd', { lambda: 0.5 }).options).toMatchObject({ alpha: 10, lambda: 0.5 });
  });

  it('unlearns from unlabelled data and reports its selection', async () => {
    const result = await unlearn(model, { forget, train }, lfSsd({ alpha: 1.2, batchSize: 8 }));
    expect(result.details).toMatchObject({ importance: 'loss-free', importanceSource: 'train', parameters: 4 * 8 + 8 + 8 * 3 + 3 });
    expect(result.details.selected).toBeGreaterThan(0);
    expect(result.changes.reduce((n, c) => n + c.changed, 0)).toBeGreaterThan(0);
    result.model.dispose();
  });

  it('runs from a loss-free cache and refuses a Fisher one or one of another batch size', async () => {
    const lossFree = await computeImportances(model, train, { kind: 'loss-free', batchSize: 8 });
    const fromCache = await unlearn(model, { forget, importances: lossFree }, lfSsd({ alpha: 1.2, batchSize: 8 }));
    const fromTrain = await unlearn(model, { forget, train }, lfSsd({ alpha: 1.2, batchSize: 8 }));
    expect(await hashWeights(toModelAdapter(fromCache.model))).toBe(await hashWeights(toModelAdapter(fromTrain.model)));
    await expectCode(unlearn(model, { forget, importances: lossFree }, lfSsd({ batchSize: 4 })), 'MISMATCH', /batch size 8 but this run uses batchSize 4/);
    const fisher = await computeImportances(model, all, { kind: 'fisher', batchSize: 8 });
    await expectCode(unlearn(model, { forget, importances: fisher }, lfSsd({ batchSize: 8 })), 'MISMATCH', /Fisher \(SSD\) but lf-ssd needs loss-free/);
    const changed = await toModelAdapter(model).clone();
    changed.trainable[1]!.variable.assign(tf.onesLike(changed.trainable[1]!.variable));
    await expectCode(unlearn(changed.model, { forget, importances: lossFree }, lfSsd({ batchSize: 8 })), 'MISMATCH', /other weights/);
    [lossFree, fisher].forEach(disposeImportances);
    [fromCache.model, fromTrain.model].forEach((m) => m.dispose());
    changed.dispose();
  });

  it('rejects empty sets and out-of-range labels when labels are given', async () => {
    const empty = { x: tf.zeros([0, 4]) };
    await expectCode(unlearn(model, { forget: empty, train }, lfSsd()), 'EMPTY_DATASET', /forget/);
    await expectCode(unlearn(model, { forget, train: empty }, lfSsd()), 'EMPTY_DATASET', /train/);
    const y = tf.fill([36], 7, 'int32');
    await expectCode(unlearn(model, { forget, train: { x: all.x, y } }, lfSsd()), 'LABEL_OUT_OF_RANGE', /0\.\.2/);
    tf.dispose([empty.x, y]);
  });

  it('leaves the model unchanged, without NaN, when every importance is zero', async () => {
    // All-zero weights give zero logits, so ∂‖f‖² = 2 f ∂f vanishes for every parameter.
    const zero = await toModelAdapter(model).clone();
    for (const v of zero.trainable) v.variable.assign(tf.zerosLike(v.variable));
    const before = await hashWeights(zero);
    const result = await unlearn(zero.model, { forget, train }, lfSsd({ alpha: 0, batchSize: 8 }), { inPlace: true });
    expect(result.details.selected).toBe(0);
    expect(result.details.warnings).toEqual([expect.stringMatching(/no parameter had I_forget > alpha \* I_train/)]);
    expect(await hashWeights(zero)).toBe(before);
    zero.dispose();
  });

  it('warns when the training set is smaller than the forget set', async () => {
    const small = { x: tf.slice(all.x, 0, 6) };
    const result = await unlearn(model, { forget, train: small }, lfSsd({ alpha: 1.2, batchSize: 8 }));
    expect(result.details.warnings.some((w) => /6 samples\) is smaller than the forget set \(12\)/.test(w))).toBe(true);
    result.model.dispose();
    small.x.dispose();
  });

  it('needs labelled validation data for its guard even though the method itself needs none', async () => {
    const guard = { validation: { x: all.x }, maxAccuracyDrop: 0.1, action: 'refuse' as const };
    await expectCode(unlearn(model, { forget, train }, lfSsd({ guard })), 'MISSING_LABELS', /guard measures accuracy/);
    const ok = await unlearn(model, { forget, train }, lfSsd({ alpha: 1.2, batchSize: 8, guard: { ...guard, validation: all, maxAccuracyDrop: 1 } }));
    expect(ok.details.guard).toMatchObject({ exceeded: false, maxAccuracyDrop: 1 });
    ok.model.dispose();
  });
});
