import * as tf from '@tensorflow/tfjs-core';
import { fromBatches, hashWeights, toModelAdapter, unlearn } from '@unlearn/core';
import { fitClassifier } from '@unlearn/mnist-fixture';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { accuracyOn, ssd } from '../src/index.js';
import { expectCode, smallTask, type Task } from './helpers.js';

let t: Task;
beforeAll(async () => {
  t = smallTask(4);
  await fitClassifier(t.model, t.train, { epochs: 40, batchSize: 12, learningRate: 0.05, seed: 1 });
});
afterAll(() => {
  t.model.dispose();
  t.dispose();
});

// alpha 0 and lambda 0 zero every parameter the forget set touches at all: a forced collapse.
const collapse = { alpha: 0, lambda: 0, batchSize: 8 };

describe('utility-collapse guard', () => {
  it('measures accuracy before and after on the kept classes (the forgotten class left out), within the limit', async () => {
    // The forget set is class 0 only, so the guard leaves class 0's validation samples out.
    const before = await accuracyOn(toModelAdapter(t.model), t.validation, 256, [0]);
    expect(before).toBeGreaterThan(0.9);
    expect(before).not.toBe(await accuracyOn(toModelAdapter(t.model), t.validation));
    const result = await unlearn(
      t.model,
      { forget: t.forget, train: t.train, validation: t.validation },
      ssd({ alpha: 10, batchSize: 8, guard: { maxAccuracyDrop: 1, action: 'refuse' } }),
    );
    const guard = result.details.guard!;
    expect(guard.accuracyBefore).toBe(before);
    expect(guard.accuracyAfter).toBe(await accuracyOn(toModelAdapter(result.model), t.validation, 256, [0]));
    expect(guard.excludedClasses).toEqual([0]);
    expect(guard.exceeded).toBe(false);
    result.model.dispose();
  });

  it('[fault] SSD dampening that drops validation accuracy past the guard\'s limit (action refuse) → UTILITY_COLLAPSE, pointing to a larger alpha or lambda; the model restored', async () => {
    const before = await hashWeights(toModelAdapter(t.model));
    await expectCode(
      unlearn(t.model, { forget: t.forget, train: t.train }, ssd({ ...collapse, guard: { validation: t.validation, maxAccuracyDrop: 0.1, action: 'refuse' } }), {
        inPlace: true,
      }),
      'UTILITY_COLLAPSE',
      // β = min(λ·I_train/I_forget, 1) scales a selected weight: a larger λ dampens less, a larger α selects fewer.
      /validation accuracy fell from \d+\.\d% to \d+\.\d% \(\d+\.\d points, limit 10\.0\); try a larger alpha \(fewer parameters dampened\) or a larger lambda \(gentler dampening\)/,
    );
    expect(await hashWeights(toModelAdapter(t.model))).toBe(before);
  });

  it("'report' keeps the result, warns through the logger and in details", async () => {
    const warn = vi.fn();
    const result = await unlearn(
      t.model,
      { forget: t.forget, train: t.train, validation: t.validation },
      ssd({ ...collapse, guard: { maxAccuracyDrop: 0.1, action: 'report' } }),
      { logger: { debug() {}, info() {}, warn } },
    );
    const guard = result.details.guard!;
    expect(guard.exceeded).toBe(true);
    expect(guard.drop).toBeGreaterThan(0.1);
    expect(result.details.warnings).toEqual([expect.stringMatching(/validation accuracy fell/)]);
    expect(warn).toHaveBeenCalledTimes(1);
    result.model.dispose();
  });

  it('needs labelled validation data', async () => {
    const guard = { maxAccuracyDrop: 0.1, action: 'report' as const };
    await expectCode(unlearn(t.model, { forget: t.forget, train: t.train }, ssd({ guard })), 'MISSING_DATA', /guard.validation or request.validation/);
    const unlabelled = await expectCode(
      unlearn(t.model, { forget: t.forget, train: t.train }, ssd({ guard: { ...guard, validation: { x: t.validation.x } } })),
      'MISSING_LABELS',
      /validation/,
    );
    const wide = { x: tf.zeros([3, 5]), y: tf.tensor1d([0, 1, 2], 'int32') };
    const misshapen = await expectCode(unlearn(t.model, { forget: t.forget, train: t.train }, ssd({ guard: { ...guard, validation: wide } })), 'SHAPE_MISMATCH');
    const empty = { x: tf.zeros([0, 4]), y: tf.zeros([0], 'int32') };
    const none = await expectCode(unlearn(t.model, { forget: t.forget, train: t.train }, ssd({ guard: { ...guard, validation: empty } })), 'EMPTY_DATASET');
    // One split name for the guard's data, whichever rule it breaks, so the CLI maps each to one flag.
    expect([unlabelled, misshapen, none].map((e) => [e.split, e.field])).toEqual([
      ['validation', 'y'],
      ['validation', 'x'],
      ['validation', 'x'],
    ]);
    tf.dispose([...Object.values(wide), ...Object.values(empty)]);
  });

  it('[bad input] a streamed guard.validation set (no part of the request) with a NaN input → NON_FINITE located at validation, before any weight changes; no tensor leaked', async () => {
    const guard = { maxAccuracyDrop: 0.1, action: 'report' as const };
    const stream = fromBatches(
      async function* () {
        yield { x: tf.fill([2, 4], Number.NaN), y: tf.tensor1d([0, 1], 'int32') };
      },
      { size: 2, hasLabels: true },
    );
    const before = await hashWeights(toModelAdapter(t.model));
    const tensors = tf.memory().numTensors;
    const error = await expectCode(unlearn(t.model, { forget: t.forget, train: t.train }, ssd({ guard: { ...guard, validation: stream } }), { inPlace: true }), 'NON_FINITE');
    expect([error.split, error.field, error.index]).toEqual(['validation', 'x', 0]);
    expect(tf.memory().numTensors).toBe(tensors);
    expect(await hashWeights(toModelAdapter(t.model))).toBe(before);
  });
});
