import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { describe, expect, it } from 'vitest';
import {
  autoUnlearn,
  checkedBatches,
  defineUnlearner,
  fromBatches,
  hashWeights,
  iterateBatches,
  toModelAdapter,
  unlearn,
  type Batch,
  type BatchSource,
  type DataShape,
  type Unlearner,
} from '../src/index.js';
import { expectUnlearnError } from '../src/testing/vitest.js';

const shape: DataShape = { inputShape: [3], numClasses: 3 };

/** A good batch of two rows, then `second`; counts how often the stream is read. */
function stream(second: () => Batch, hasLabels = true): BatchSource & { reads: number } {
  const source = fromBatches(
    async function* () {
      source.reads++;
      yield { x: tf.zeros([2, 3]), y: tf.tensor1d([0, 1], 'int32') };
      yield second();
    },
    { size: 4, hasLabels },
  ) as BatchSource & { reads: number };
  source.reads = 0;
  return source;
}
const nanSecond = (): Batch => ({ x: tf.tensor2d([0, 0, 0, 0, Number.NaN, 0], [2, 3]), y: tf.tensor1d([0, 1], 'int32') });

function linear(): tfl.LayersModel {
  const model = tfl.sequential({ layers: [tfl.layers.dense({ inputShape: [3], units: 3 })] });
  model.setWeights([tf.eye(3), tf.zeros([3])]);
  return model;
}

/** Reads `split` whole, then shifts the biases: a weight changes only after every batch passed. */
function reader(split: 'forget' | 'retain' | 'train' | 'validation'): Unlearner<{ shift: number }> {
  const make = (shift: number): Unlearner<{ shift: number }> =>
    defineUnlearner({
      name: 'reader',
      options: { shift },
      needs: {},
      strength: { option: 'shift', direction: 'increasing', weakest: 1, strongest: 4, factor: 2, at: make },
      async unlearn(ctx) {
        const data = ctx.request[split];
        if (data) for await (const _ of iterateBatches(data, 2)) ctx.throwIfAborted();
        const bias = ctx.model.trainable.find((v) => v.name.includes('bias'))!.variable;
        tf.tidy(() => bias.assign(bias.add(tf.scalar(-shift))));
      },
    });
  return make(1);
}

describe('streams are checked once, by the runner, for every method', () => {
  it('[bad input] a streamed batch without labels where the split needs them (checkedBatches with labelsRequired) → MISSING_LABELS located at the split, field y and the batch\'s first row; no tensor leaked', async () => {
    const before = tf.memory().numTensors;
    const read = async () => {
      for await (const _ of iterateBatches(checkedBatches(shape, stream(() => ({ x: tf.zeros([2, 3]) })), { method: 'm', split: 'retain', labelsRequired: true }), 2));
    };
    const error = await expectUnlearnError(read(), 'MISSING_LABELS', /m: retain\.y is missing from the streamed batch that starts at sample 2/);
    expect({ split: error.split, field: error.field, index: error.index }).toEqual({ split: 'retain', field: 'y', index: 2 });
    expect(tf.memory().numTensors).toBe(before);
  });

  it('[bad input] a stream of unknown size that yields no samples (checkedBatches) → EMPTY_DATASET located at the split, which the request check cannot see ahead', async () => {
    const empty = fromBatches(async function* () {}, { hasLabels: false });
    const read = async () => {
      for await (const _ of iterateBatches(checkedBatches(shape, empty, { method: 'm', split: 'train' }), 2));
    };
    const error = await expectUnlearnError(read(), 'EMPTY_DATASET', /m: the train set is empty \(its stream yielded no samples\)/);
    expect([error.split, error.field]).toEqual(['train', 'x']);
  });

  it('wrapping a checked stream again for a model of the same shape adds nothing; another shape, or a new label requirement, wraps it again', () => {
    const checked = checkedBatches(shape, stream(nanSecond), { split: 'forget' });
    expect(checkedBatches({ inputShape: [3], numClasses: 3 }, checked, { split: 'forget' })).toBe(checked);
    expect(checkedBatches({ inputShape: [4], numClasses: 3 }, checked, { split: 'forget' })).not.toBe(checked);
    expect(checkedBatches(shape, checked, { split: 'forget', labelsRequired: true })).not.toBe(checked);
  });

  it.each(['forget', 'retain', 'train', 'validation'] as const)(
    '[bad input] unlearn() with a streamed %s set holding a NaN input, read by a method that checks nothing itself → NON_FINITE located at that split and row; the model unchanged; no tensor leaked',
    async (split) => {
      const model = linear();
      const before = await hashWeights(toModelAdapter(model));
      const tensors = tf.memory().numTensors;
      const forget = { x: tf.zeros([2, 3]) };
      const request = split === 'forget' ? { forget: stream(nanSecond) } : { forget, [split]: stream(nanSecond) };
      const error = await expectUnlearnError(unlearn(model, request, reader(split), { inPlace: true }), 'NON_FINITE', new RegExp(`reader: ${split}\\.x contains NaN`));
      expect({ split: error.split, field: error.field, index: error.index }).toEqual({ split, field: 'x', index: 3 });
      forget.x.dispose();
      expect(tf.memory().numTensors).toBe(tensors);
      expect(await hashWeights(toModelAdapter(model))).toBe(before);
      model.dispose();
    },
  );

  it('[bad input] autoUnlearn() with a streamed forget set holding a NaN input → NON_FINITE located at forget, before any trial (its baseline scores read the checked stream), the model unchanged', async () => {
    const model = linear();
    const before = await hashWeights(toModelAdapter(model));
    const forget = stream(nanSecond);
    const error = await expectUnlearnError(autoUnlearn(model, { forget }, reader('train'), { targetForgetAccuracy: 0 }), 'NON_FINITE', /forget\.x contains NaN/);
    expect({ split: error.split, field: error.field, index: error.index }).toEqual({ split: 'forget', field: 'x', index: 3 });
    expect(forget.reads).toBe(1);
    expect(await hashWeights(toModelAdapter(model))).toBe(before);
    model.dispose();
  });
});
