import * as tf from '@tensorflow/tfjs-core';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import { createUnlearner, fromBatches, toModelAdapter, topOneAccuracy, unlearn, type ProgressEvent } from '@unlearn/core';
import { syntheticClassification, tinyBatchNormClassifier, tinyClassifier } from '@unlearn/core/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { DEFAULT_SALUN_OPTIONS, saliencyMask, salun, SALUN_PRESETS } from '../src/index.js';
import { expectCode, hash } from './helpers.js';

const data = syntheticClassification({ n: 48, inputDim: 4, classes: 3, seed: 5 });
const forget = { x: tf.slice(data.x, 0, 12), y: tf.slice(data.y, 0, 12) };
const retain = { x: tf.slice(data.x, 12), y: tf.slice(data.y, 12) };
afterAll(() => tf.dispose([data.x, data.y, forget.x, forget.y, retain.x, retain.y]));

const values = (model: LayersModel) => Promise.all(toModelAdapter(model).trainable.map(async (v) => Array.from(await v.variable.data())));

describe('salun', () => {
  it("defaults to the SalUn repository's CIFAR-10 setting", () => {
    expect(DEFAULT_SALUN_OPTIONS).toMatchObject({ fraction: 0.5, epochs: 10, batchSize: 256, optimizer: 'sgd', learningRate: 0.013, momentum: 0.9, weightDecay: 5e-4, order: 'alternate' });
    expect(SALUN_PRESETS.reference!.source).toMatch(/Unlearn-Saliency/);
    expect(createUnlearner('salun', { fraction: 0.25 }).options.fraction).toBe(0.25);
  });

  it('the mask frees exactly ⌊fraction · total⌋ weights ranked over the whole model, the largest |gradient| first', async () => {
    const model = toModelAdapter(tinyClassifier({ inputDim: 4, hidden: 8, classes: 3, seed: 1 }));
    const total = model.trainable.reduce((n, v) => n + v.variable.size, 0);
    const events: ProgressEvent[] = [];
    const mask = await saliencyMask(model, forget, { fraction: 0.3, batchSize: 5, onProgress: (e) => events.push(e) });
    // 12 forget rows in batches of 5: 3 batches, the last one partial.
    expect(events).toEqual([1, 2, 3].map((step) => ({ phase: 'saliency', step, total: 3 })));
    const bits = (await Promise.all(mask.masks.map((m) => m.data()))).map((d) => Array.from(d));
    expect(mask.total).toBe(total);
    expect(mask.selected).toBe(Math.floor(total * 0.3));
    expect(bits.flat().filter((b) => b === 1).length).toBe(mask.selected);
    // The gradient, taken independently here over the whole set at once.
    const g = tf.tidy(() =>
      tf.variableGrads(() => {
        const logits = model.logits(forget.x, { training: false });
        return tf.losses.softmaxCrossEntropy(tf.oneHot(forget.y, 3), logits) as tf.Scalar;
      }, model.trainable.map((v) => v.variable) as tf.Variable[]),
    );
    const mags = (await Promise.all(model.trainable.map((v) => g.grads[v.variable.name]!.data()))).map((d) => Array.from(d, Math.abs));
    const chosen = mags.flat().filter((_, i) => bits.flat()[i] === 1);
    const left = mags.flat().filter((_, i) => bits.flat()[i] === 0);
    expect(Math.min(...chosen)).toBeGreaterThanOrEqual(Math.max(...left) * (1 - 1e-5));
    expect(Math.min(...chosen)).toBeCloseTo(mask.threshold, 5);
    // Global, not per layer: the layers get different shares.
    const shares = bits.map((b) => b.filter((x) => x === 1).length / b.length);
    expect(new Set(shares.map((s) => s.toFixed(3))).size).toBeGreaterThan(1);
    // The batch size does not change the mask (the gradient is of the mean over the whole set).
    const again = await saliencyMask(model, forget, { fraction: 0.3, batchSize: 12 });
    expect((await Promise.all(again.masks.map((m) => m.data()))).map((d) => Array.from(d))).toEqual(bits);
    tf.dispose([...mask.masks, ...again.masks, g.value, ...Object.values(g.grads)]);
    model.dispose();
  });

  for (const [order, optimizer] of [
    ['alternate', 'sgd'],
    ['concat', 'adam'],
  ] as const) {
    it(`moves only the masked weights, weight decay included (${order}, ${optimizer})`, async () => {
      const model = tinyClassifier({ inputDim: 4, hidden: 8, classes: 3, seed: 1 });
      const mask = await saliencyMask(toModelAdapter(model), forget, { fraction: 0.4, batchSize: 8 });
      const bits = (await Promise.all(mask.masks.map((m) => m.data()))).flatMap((d) => Array.from(d));
      const before = (await values(model)).flat();
      const tensors = tf.memory().numTensors;
      const result = await unlearn(model, { forget, retain }, salun({ fraction: 0.4, epochs: 3, batchSize: 8, learningRate: 0.05, weightDecay: 0.01, optimizer, order }), { seed: 2 });
      // Only the returned model's weights are new (no leaked masks, labels or optimizer state).
      expect(tf.memory().numTensors - tensors).toBe(toModelAdapter(result.model).variables.length);
      const after = (await values(result.model as LayersModel)).flat();
      const frozen = before.filter((_, i) => bits[i] === 0);
      expect(frozen.length).toBeGreaterThan(0);
      expect(after.filter((_, i) => bits[i] === 0)).toEqual(frozen);
      const moved = after.filter((w, i) => bits[i] === 1 && w !== before[i]).length;
      expect(moved).toBeGreaterThan(0.9 * mask.selected);
      expect(result.details).toMatchObject({ mask: { selected: mask.selected, total: bits.length, fraction: 0.4 }, order, epochsRun: 3 });
      tf.dispose(mask.masks);
      (result.model as LayersModel).dispose();
      model.dispose();
    });
  }

  it('forgets a whole class with fraction 0.5 and keeps the retain set', async () => {
    const labels = Array.from(await data.y.data());
    const pick = (keep: (c: number) => boolean) => {
      const idx = tf.tensor1d(labels.flatMap((c, i) => (keep(c) ? [i] : [])), 'int32');
      const set = { x: tf.gather(data.x, idx), y: tf.gather(data.y, idx) };
      idx.dispose();
      return set;
    };
    const f = pick((c) => c === 0);
    const r = pick((c) => c !== 0);
    const model = tinyClassifier({ inputDim: 4, hidden: 16, classes: 3, seed: 2 });
    const fitted = await unlearn(model, { forget, retain: data }, createUnlearner('finetune', { epochs: 20, batchSize: 8, learningRate: 0.05 }), { seed: 1 });
    const base = fitted.model as LayersModel;
    expect(await topOneAccuracy(toModelAdapter(base), f)).toBeGreaterThan(0.9);
    const result = await unlearn(base, { forget: f, retain: r }, salun({ epochs: 10, batchSize: 8, learningRate: 0.05 }), { seed: 1 });
    const after = result.model as LayersModel;
    expect(await topOneAccuracy(toModelAdapter(after), f)).toBeLessThan(0.2);
    expect(await topOneAccuracy(toModelAdapter(after), r)).toBeGreaterThan(0.9);
    for (const m of [model, base, after]) m.dispose();
    tf.dispose([f.x, f.y, r.x, r.y]);
  });

  it('takes the mask in inference mode and trains in training mode (batch-normalisation statistics move)', async () => {
    const bnData = syntheticClassification({ n: 24, inputDim: 8, classes: 3, seed: 7 });
    const f = { x: tf.slice(bnData.x, 0, 8), y: tf.slice(bnData.y, 0, 8) };
    const r = { x: tf.slice(bnData.x, 8), y: tf.slice(bnData.y, 8) };
    const model = tinyBatchNormClassifier({ seed: 3, dropout: 0.5 });
    // Inference mode: dropout off, so the mask does not depend on a random draw.
    const a = await saliencyMask(toModelAdapter(model), f, { fraction: 0.5, batchSize: 8 });
    const b = await saliencyMask(toModelAdapter(model), f, { fraction: 0.5, batchSize: 8 });
    expect((await Promise.all(a.masks.map((m) => m.data()))).map((d) => Array.from(d))).toEqual((await Promise.all(b.masks.map((m) => m.data()))).map((d) => Array.from(d)));
    const result = await unlearn(model, { forget: f, retain: r }, salun({ epochs: 1, batchSize: 8 }), { seed: 1 });
    expect(result.changes.filter((c) => !c.trainable).map((c) => c.changed)).toEqual([16, 16]);
    (result.model as LayersModel).dispose();
    model.dispose();
    tf.dispose([...a.masks, ...b.masks, bnData.x, bnData.y, f.x, f.y, r.x, r.y]);
  });

  it('takes a streamed retain set when the passes alternate', async () => {
    const model = tinyClassifier({ inputDim: 4, hidden: 8, classes: 3, seed: 1 });
    const stream = fromBatches(
      async function* (size) {
        for (let s = 0; s < 36; s += size) yield { x: tf.slice(retain.x, s, Math.min(size, 36 - s)), y: tf.slice(retain.y, s, Math.min(size, 36 - s)) };
      },
      { size: 36, hasLabels: true },
    );
    const inMemory = await unlearn(model, { forget, retain }, salun({ epochs: 2, batchSize: 8, shuffle: false }), { seed: 4 });
    const streamed = await unlearn(model, { forget, retain: stream }, salun({ epochs: 2, batchSize: 8, shuffle: false }), { seed: 4 });
    expect(await hash(streamed.model as LayersModel)).toBe(await hash(inMemory.model as LayersModel));
    for (const m of [inMemory.model, streamed.model, model] as LayersModel[]) m.dispose();
  });

  it('refuses bad input before any work and leaves an in-place model unchanged', async () => {
    const model = tinyClassifier({ inputDim: 4 });
    const before = await hash(model);
    const run = (request: Parameters<typeof unlearn>[1], options = {}) => unlearn(model, request, salun(options), { inPlace: true });
    const stream = fromBatches(async function* () {}, { size: 4, hasLabels: true });
    await expectCode(run({ forget }), 'MISSING_DATA', /retain/);
    await expectCode(run({ forget: { x: forget.x }, retain }), 'MISSING_LABELS');
    await expectCode(run({ forget, retain: { x: retain.x } }), 'MISSING_LABELS', /retain/);
    await expectCode(run({ forget: stream, retain }), 'UNSUPPORTED_REQUEST', /streamed forget set/);
    await expectCode(run({ forget, retain: stream }, { order: 'concat' }), 'UNSUPPORTED_REQUEST', /streamed retain set/);
    await expectCode(run({ forget, retain }, { fraction: 0 }), 'INVALID_OPTION', /"fraction"/);
    await expectCode(run({ forget, retain }, { fraction: 1.5 }), 'INVALID_OPTION', /"fraction"/);
    await expectCode(run({ forget, retain }, { fraction: 1e-6 }), 'INVALID_OPTION', /frees no weight/);
    await expectCode(run({ forget, retain }, { order: 'mixed' }), 'INVALID_OPTION', /"order" must be one of 'alternate', 'concat'/);
    await expectCode(run({ forget, retain }, { epoch: 2 }), 'INVALID_OPTION', /did you mean "epochs"/);
    await expectCode(run({ forget, retain }, { learningRate: 1e30, batchSize: 4, epochs: 2 }), 'DIVERGED');
    expect(await hash(model)).toBe(before);
    model.dispose();
  });
});
