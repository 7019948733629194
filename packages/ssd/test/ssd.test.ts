import * as tf from '@tensorflow/tfjs-core';
import { createUnlearner, hashWeights, registeredUnlearners, toModelAdapter, unlearn } from '@unlearn/core';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { selectAndDampen, ssd } from '../src/index.js';
import { expectCode, smallTask, type Task } from './helpers.js';

let t: Task;
beforeEach(() => {
  t = smallTask();
});
afterEach(() => {
  t.model.dispose();
  t.dispose();
});

const hash = (m: unknown) => hashWeights(toModelAdapter(m as Task['model']));

describe('ssd()', () => {
  it('is registered with its defaults', () => {
    const info = registeredUnlearners().find((m) => m.name === 'ssd');
    expect(info?.source).toBe('@unlearn/ssd');
    expect(info?.defaults).toEqual({ alpha: 10, lambda: 1, exponent: 1, cap: 1, batchSize: 64 });
    expect(createUnlearner('ssd', { alpha: 3 }).options).toMatchObject({ alpha: 3, lambda: 1 });
    expect(ssd().needs).toEqual({ labels: true, train: true, acceptsImportances: true });
  });

  it('reports the selection per variable and in total, and only shrinks selected weights', async () => {
    const before = toModelAdapter(t.model).trainable.map((v) => v.variable.dataSync().slice());
    const result = await unlearn(t.model, { forget: t.forget, train: t.train }, ssd({ alpha: 2, batchSize: 8 }));
    const d = result.details;
    expect(d.selected).toBeGreaterThan(0);
    expect(d.parameters).toBe(4 * 8 + 8 + 8 * 3 + 3);
    expect(d.fraction).toBeCloseTo(d.selected / d.parameters, 12);
    expect(d.perVariable.map((v) => v.name)).toEqual(toModelAdapter(t.model).trainable.map((v) => v.name));
    expect(d.perVariable.reduce((n, v) => n + v.selected, 0)).toBe(d.selected);
    // cap 1: |θ| never grows, and only selected entries may change.
    const after = toModelAdapter(result.model).trainable.map((v) => v.variable.dataSync());
    let changed = 0;
    after.forEach((a, i) => a.forEach((v, j) => {
      const b = before[i]![j]!;
      expect(Math.abs(v)).toBeLessThanOrEqual(Math.abs(b));
      if (v !== b) changed++;
    }));
    expect(changed).toBeGreaterThan(0);
    expect(changed).toBeLessThanOrEqual(d.selected);
    expect(result.changes.reduce((n, c) => n + c.changed, 0)).toBe(changed);
    expect(d.warnings).toEqual([]);
    result.model.dispose();
  });

  it('dampens only the variables the layers filter allows (substring, RegExp, predicate)', async () => {
    const names = toModelAdapter(t.model).trainable.map((v) => v.name);
    const last = names[names.length - 1]!;
    for (const layers of [[last], [new RegExp(`${last.replace(/[/]/g, '\\/')}$`)], (name: string) => name === last]) {
      const result = await unlearn(t.model, { forget: t.forget, train: t.train }, ssd({ alpha: 0.5, batchSize: 8, layers }));
      const per = result.details.perVariable;
      expect(per.filter((v) => v.selected > 0).map((v) => v.name)).toEqual([last]);
      expect(per.filter((v) => v.eligible).map((v) => v.name)).toEqual([last]);
      expect(result.changes.filter((c) => c.changed > 0).map((c) => c.name)).toEqual([last]);
      result.model.dispose();
    }
    await expectCode(unlearn(t.model, { forget: t.forget, train: t.train }, ssd({ layers: ['no-such-layer'] })), 'INVALID_OPTION', /matches none/);
  });

  it('rejects bad options before any work', async () => {
    const cases: [Record<string, unknown>, RegExp][] = [
      [{ alpha: -1 }, /"alpha"/],
      [{ lambda: Number.NaN }, /"lambda"/],
      [{ exponent: 0 }, /"exponent"/],
      [{ cap: -0.5 }, /"cap"/],
      [{ batchSize: 2.5 }, /"batchSize"/],
      [{ threads: 0 }, /"threads"/],
      [{ workers: 2 }, /unknown option "workers"; it is now called "threads"/],
      [{ layers: 'dense' }, /"layers"/],
      [{ guard: { maxAccuracyDrop: 2, action: 'report' } }, /guard.maxAccuracyDrop/],
      [{ guard: { maxAccuracyDrop: 0.1, action: 'ignore' } }, /guard.action/],
    ];
    for (const [options, message] of cases) {
      await expectCode(unlearn(t.model, { forget: t.forget, train: t.train }, ssd(options)), 'INVALID_OPTION', message);
    }
  });

  it('needs labels on the forget and training sets', async () => {
    await expectCode(unlearn(t.model, { forget: { x: t.forget.x }, train: t.train }, ssd()), 'MISSING_LABELS', /forget/);
    await expectCode(unlearn(t.model, { forget: t.forget, train: { x: t.train.x } }, ssd()), 'MISSING_LABELS', /train/);
  });

  it('needs the training set or importances', async () => {
    await expectCode(unlearn(t.model, { forget: t.forget }, ssd()), 'MISSING_DATA', /request.train.*request.importances/);
  });

  it('[bad input] a class label outside the model\'s classes (3 for a 3-class model) → LABEL_OUT_OF_RANGE, also for direct importance calls', async () => {
    const y = tf.tensor1d(Array.from({ length: 12 }, (_, i) => (i === 5 ? 3 : 0)), 'int32');
    await expectCode(unlearn(t.model, { forget: { x: t.forget.x, y }, train: t.train }, ssd()), 'LABEL_OUT_OF_RANGE', /3/);
    const { fisherImportance } = await import('../src/index.js');
    await expectCode(fisherImportance(t.model, { x: t.forget.x, y }, { batchSize: 4 }), 'LABEL_OUT_OF_RANGE', /0\.\.2/);
    y.dispose();
  });

  it('checks the labels of a streamed training set batch by batch, without leaking', async () => {
    const { fisherImportance } = await import('../src/index.js');
    const { fromBatches } = await import('@unlearn/core');
    const stream = fromBatches(
      async function* (batchSize) {
        for (let b = 0; b < 3; b++) yield { x: tf.ones([batchSize, 4]), y: tf.fill([batchSize], b === 2 ? 7 : 1, 'int32') };
      },
      { size: 12, hasLabels: true },
    );
    const before = tf.memory().numTensors;
    await expectCode(fisherImportance(t.model, stream, { batchSize: 4 }), 'LABEL_OUT_OF_RANGE', /train\.y\[8\] = 7 is outside the model's classes \(0\.\.2\)/);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('[fault] AbortSignal.timeout(100) during SSD\'s importance pass on the synchronous cpu backend → ABORTED within 2 s; the model unchanged', async () => {
    // 4,000 single-sample batches keep the (synchronous) cpu backend busy for seconds; only a turn
    // of the event loop between batches lets AbortSignal.timeout() fire before the pass ends.
    const train = { x: tf.tile(t.train.x, [111, 1]), y: tf.tile(t.train.y, [111]) };
    const before = await hash(t.model);
    const started = performance.now();
    await expectCode(unlearn(t.model, { forget: t.forget, train }, ssd({ batchSize: 1, threads: 1 }), { signal: AbortSignal.timeout(100), inPlace: true }), 'ABORTED');
    expect(performance.now() - started).toBeLessThan(2000);
    expect(await hash(t.model)).toBe(before);
    tf.dispose([train.x, train.y]);
  });

  it('rejects empty forget and training sets', async () => {
    const empty = { x: tf.zeros([0, 4]), y: tf.zeros([0], 'int32') };
    await expectCode(unlearn(t.model, { forget: empty, train: t.train }, ssd()), 'EMPTY_DATASET', /forget/);
    await expectCode(unlearn(t.model, { forget: t.forget, train: empty }, ssd()), 'EMPTY_DATASET', /train/);
    tf.dispose(Object.values(empty));
  });

  it('warns (and still runs) when the training set is smaller than the forget set', async () => {
    const warn = vi.fn();
    const small = { x: tf.slice(t.train.x, 0, 5), y: tf.slice(t.train.y, 0, 5) };
    const result = await unlearn(t.model, { forget: t.forget, train: small }, ssd({ alpha: 2, batchSize: 8 }), {
      logger: { debug() {}, info() {}, warn },
    });
    const warnings = result.details.warnings;
    expect(warnings.some((w) => /smaller than the forget set/.test(w))).toBe(true);
    expect(warn).toHaveBeenCalledWith(expect.stringMatching(/5 samples.*forget set \(12\)/));
    result.model.dispose();
    tf.dispose(Object.values(small));
  });
});

describe('selectAndDampen', () => {
  const zeros = (m: Task['model']) => toModelAdapter(m).trainable.map((v) => tf.zerosLike(v.variable));

  it('selects nothing and changes nothing when every importance is zero (no NaN)', async () => {
    const before = await hash(t.model);
    const z1 = zeros(t.model);
    const z2 = zeros(t.model);
    const report = await selectAndDampen(t.model, z1, z2, { alpha: 10, lambda: 1, exponent: 1, cap: 1 });
    expect(report.selected).toBe(0);
    expect(await hash(t.model)).toBe(before);
    tf.dispose([...z1, ...z2]);
  });

  it('zeroes parameters with I_train = 0 < I_forget and never divides by zero', async () => {
    const iD = zeros(t.model);
    const iF = toModelAdapter(t.model).trainable.map((v, i) =>
      tf.tidy(() => (i === 0 ? tf.onesLike(v.variable) : tf.zerosLike(v.variable))),
    );
    for (const exponent of [1, 2.5]) {
      const model = (await toModelAdapter(t.model).clone());
      const report = await selectAndDampen(model, iD, iF, { alpha: 10, lambda: 1, exponent, cap: 1 });
      expect(report.selected).toBe(model.trainable[0]!.variable.size);
      const first = await model.trainable[0]!.variable.data();
      expect(Array.from(first).every((v) => v === 0)).toBe(true);
      for (const v of model.trainable.slice(1)) {
        expect(Array.from(await v.variable.data()).every(Number.isFinite)).toBe(true);
      }
      model.dispose();
    }
    tf.dispose([...iD, ...iF]);
  });

  it('uses a strict > for selection and caps the factor', async () => {
    const model = await toModelAdapter(t.model).clone();
    const v = model.trainable[0]!.variable;
    const n = v.size;
    // Entry 0: I_f = α·I_D exactly (not selected); entry 1: selected, ratio 0.25; entry 2: selected, λ·I_D/I_f = 4 > cap.
    const iD = model.trainable.map((w, i) => (i === 0 ? tf.tensor(Array.from({ length: n }, (_, j) => (j === 2 ? 1 : 1)), v.shape) : tf.zerosLike(w.variable)));
    const iF = model.trainable.map((w, i) => (i === 0 ? tf.tensor(Array.from({ length: n }, (_, j) => (j === 0 ? 2 : j === 1 ? 8 : j === 2 ? 2.5 : 0)), v.shape) : tf.zerosLike(w.variable)));
    const before = Array.from(await v.data());
    const report = await selectAndDampen(model, iD, iF, { alpha: 2, lambda: 2, exponent: 1, cap: 0.5 });
    const after = Array.from(await v.data());
    expect(report.variables[0]).toMatchObject({ selected: 2, capped: 1 });
    expect(after[0]).toBe(before[0]);
    expect(after[1]).toBeCloseTo(before[1]! * 0.25, 6);
    expect(after[2]).toBeCloseTo(before[2]! * 0.5, 6);
    expect(after.slice(3)).toEqual(before.slice(3));
    tf.dispose([...iD, ...iF]);
    model.dispose();
  });

  it('refuses importances that do not match the model layout', async () => {
    const z = zeros(t.model);
    await expectCode(selectAndDampen(t.model, z.slice(1), z, { alpha: 10, lambda: 1, exponent: 1, cap: 1 }), 'MISMATCH', /tensors/);
    const wrong = [tf.zeros([2, 2]), ...z.slice(1)];
    await expectCode(selectAndDampen(t.model, wrong, z, { alpha: 10, lambda: 1, exponent: 1, cap: 1 }), 'MISMATCH', /shape/);
    tf.dispose([...z, wrong[0]!]);
  });
});
