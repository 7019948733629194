import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import {
  checkBatch,
  checkedBatches,
  checkNotEmpty,
  fromBatches,
  iterateBatches,
  requireLabels,
  type DataShape,
  type UnlearnErrorCode,
  type UnlearnErrorLocation,
} from '../src/index.js';
import { expectUnlearnError } from '../src/testing/vitest.js';

const model: DataShape = { inputShape: [null, 2], numClasses: 3 };
const where = { method: 'm', split: 'retain' };

/** The error's location only, with `index` absent rather than undefined. */
const located = (e: UnlearnErrorLocation) => ({ split: e.split, field: e.field, ...(e.index !== undefined ? { index: e.index } : {}) });

describe('data rules (one place, used by the request check, streams, the CLI and eval)', () => {
  it('[bad input] each data rule broken (input shape, label shape, one-hot width, label count, class index out of range or fractional, one-hot row not a distribution, NaN inputs) → its code, located by split, field and (one sample at fault) index; no tensor leaked', async () => {
    const cases: [string, () => { x: tf.Tensor; y?: tf.Tensor }, UnlearnErrorCode, RegExp, UnlearnErrorLocation][] = [
      ['input shape', () => ({ x: tf.zeros([2, 3, 3]) }), 'SHAPE_MISMATCH', /m: retain\.x has sample shape \[3, 3\] but the model expects \[\?, 2\]/, { split: 'retain', field: 'x' }],
      ['label shape', () => ({ x: tf.zeros([2, 2, 2]), y: tf.zeros([2, 1, 1]) }), 'SHAPE_MISMATCH', /retain\.y must have shape \[n\].*\(got \[2, 1, 1\]\)/, { split: 'retain', field: 'y' }],
      ['one-hot width', () => ({ x: tf.zeros([2, 2, 2]), y: tf.zeros([2, 4]) }), 'SHAPE_MISMATCH', /one-hot over 4 classes but the model has 3/, { split: 'retain', field: 'y' }],
      ['label count', () => ({ x: tf.zeros([3, 2, 2]), y: tf.tensor1d([0, 1], 'int32') }), 'SHAPE_MISMATCH', /retain\.y has 2 labels but retain\.x has 3 samples/, { split: 'retain', field: 'y' }],
      ['class index out of range', () => ({ x: tf.zeros([3, 2, 2]), y: tf.tensor1d([0, 1, 3], 'int32') }), 'LABEL_OUT_OF_RANGE', /retain\.y\[2\] = 3 is outside the model's classes \(0\.\.2\)/, { split: 'retain', field: 'y', index: 2 }],
      ['fractional class index', () => ({ x: tf.zeros([2, 2, 2]), y: tf.tensor1d([1.5, 0]) }), 'LABEL_OUT_OF_RANGE', /retain\.y\[0\] = 1\.5/, { split: 'retain', field: 'y', index: 0 }],
      ['one-hot row not summing to 1', () => ({ x: tf.zeros([2, 2, 2]), y: tf.tensor2d([[1, 0, 0], [0.5, 0, 0]]) }), 'LABEL_OUT_OF_RANGE', /retain\.y\[1\] is not a one-hot label/, { split: 'retain', field: 'y', index: 1 }],
      ['NaN in an input', () => ({ x: tf.tensor3d([[[0, 0], [0, 0]], [[0, 0], [0, Number.NaN]]]) }), 'NON_FINITE', /retain\.x contains NaN or Infinity: sample 1 holds NaN/, { split: 'retain', field: 'x', index: 1 }],
    ];
    for (const [what, make, code, message, location] of cases) {
      const batch = make();
      const before = tf.memory().numTensors;
      const error = await expectUnlearnError(checkBatch(model, batch, where), code, message);
      expect(located(error), what).toEqual(location);
      expect(tf.memory().numTensors, what).toBe(before);
      tf.dispose([batch.x, ...(batch.y ? [batch.y] : [])]);
    }
  });

  it('[bad input] an empty set, or a set without the labels a method needs → EMPTY_DATASET (field x) or MISSING_LABELS (field y), located by split and saying why the labels are needed', async () => {
    expect(located(await expectUnlearnError(Promise.resolve().then(() => checkNotEmpty(0, where)), 'EMPTY_DATASET', /m: the retain set is empty/))).toEqual({
      split: 'retain',
      field: 'x',
    });
    const x = tf.zeros([1, 2, 2]);
    const missing = await expectUnlearnError(
      Promise.resolve().then(() => requireLabels({ x }, { ...where, why: 'it trains on them' })),
      'MISSING_LABELS',
      /m needs labels on the retain set \(retain\.y\): it trains on them/,
    );
    expect(located(missing)).toEqual({ split: 'retain', field: 'y' });
    x.dispose();
  });

  it('names the data as the caller names it (the CLI passes its flags and files) without changing the location', async () => {
    const x = tf.zeros([2, 2, 2]);
    const y = tf.tensor1d([0, 7], 'int32');
    const error = await expectUnlearnError(
      checkBatch(model, { x, y }, { split: 'forget', x: '--forget f.npy', y: '--labels l.npy' }),
      'LABEL_OUT_OF_RANGE',
      /^--labels l\.npy\[1\] = 7 is outside/,
    );
    expect(located(error)).toEqual({ split: 'forget', field: 'y', index: 1 });
    tf.dispose([x, y]);
  });

  it('[bad input] a streamed batch breaking a rule (checkedBatches: wrong input shape, NaN input, class index out of range) → its code at that batch, the row counted from the stream\'s start; no tensor leaked', async () => {
    const stream = (bad: () => { x: tf.Tensor; y: tf.Tensor1D }) =>
      fromBatches(
        async function* () {
          yield { x: tf.zeros([2, 2, 2]), y: tf.tensor1d([0, 1], 'int32') };
          yield bad();
        },
        { hasLabels: true },
      );
    const cases: [string, () => { x: tf.Tensor; y: tf.Tensor1D }, UnlearnErrorCode, UnlearnErrorLocation][] = [
      ['input shape', () => ({ x: tf.zeros([2, 5]), y: tf.tensor1d([0, 1], 'int32') }), 'SHAPE_MISMATCH', { split: 'train', field: 'x' }],
      ['NaN input', () => ({ x: tf.fill([2, 2, 2], Number.NaN), y: tf.tensor1d([0, 1], 'int32') }), 'NON_FINITE', { split: 'train', field: 'x', index: 2 }],
      ['class index', () => ({ x: tf.zeros([2, 2, 2]), y: tf.tensor1d([0, 9], 'int32') }), 'LABEL_OUT_OF_RANGE', { split: 'train', field: 'y', index: 3 }],
    ];
    for (const [what, bad, code, location] of cases) {
      const before = tf.memory().numTensors;
      let batches = 0;
      const read = async () => {
        for await (const _ of iterateBatches(checkedBatches(model, stream(bad), { method: 'm', split: 'train' }), 2)) batches++;
      };
      const error = await expectUnlearnError(read(), code);
      expect(located(error), what).toEqual(location);
      expect(batches, what).toBe(1);
      expect(tf.memory().numTensors, what).toBe(before);
    }
  });
});
