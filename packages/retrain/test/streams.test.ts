import * as tf from '@tensorflow/tfjs-core';
import { fromBatches, type UnlearnErrorCode, type UnlearnErrorLocation } from '@unlearn/core';
import { unlearn } from '@unlearn/core';
import { syntheticClassification, tinyClassifier } from '@unlearn/core/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { finetune, retrain } from '../src/index.js';
import { expectCode, hash } from './helpers.js';

const data = syntheticClassification({ n: 16, inputDim: 4, classes: 3, seed: 5 });
const forget = syntheticClassification({ n: 4, inputDim: 4, classes: 3, seed: 6 });
afterAll(() => tf.dispose([data.x, data.y, forget.x, forget.y]));

type Bad = () => { x: tf.Tensor; y?: tf.Tensor1D };

/** Four good rows of `data`, then the bad batch: the method has trained on the first when it meets the second. */
const streamWith = (bad: Bad) =>
  fromBatches(
    async function* () {
      yield { x: tf.slice(data.x, 0, 4), y: tf.slice(data.y, 0, 4) as tf.Tensor1D };
      yield bad();
    },
    { size: 8, hasLabels: true },
  );

const labels = () => tf.tensor1d([0, 1, 2, 0], 'int32');
const BAD: [string, Bad, UnlearnErrorCode, RegExp, Omit<UnlearnErrorLocation, 'split'>][] = [
  ['a NaN input', () => ({ x: tf.tensor2d([0, 0, 0, 0, 0, Number.NaN, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0], [4, 4]), y: labels() }), 'NON_FINITE', /sample 5 holds NaN/, { field: 'x', index: 5 }],
  ['a class index out of range', () => ({ x: tf.zeros([4, 4]), y: tf.tensor1d([0, 1, 7, 0], 'int32') }), 'LABEL_OUT_OF_RANGE', /y\[6\] = 7 is outside the model's classes \(0\.\.2\)/, { field: 'y', index: 6 }],
  ['a wrong input shape', () => ({ x: tf.zeros([4, 5]), y: labels() }), 'SHAPE_MISMATCH', /has sample shape \[5\] but the model expects \[4\]/, { field: 'x' }],
  ['a batch without labels', () => ({ x: tf.zeros([4, 4]) }), 'MISSING_LABELS', /y is missing from the streamed batch that starts at sample 4/, { field: 'y', index: 4 }],
];

describe('streamed sets get core\'s data rules batch by batch, from the runner, whatever the method', () => {
  it.each([
    ['retrain', 'retain', () => retrain({ epochs: 1, batchSize: 4 })],
    ['finetune', 'retain', () => finetune({ epochs: 1, batchSize: 4 })],
    ['retrain', 'validation', () => retrain({ epochs: 2, batchSize: 4, patience: 1 })],
  ] as const)('[bad input] %s with a streamed %s set holding a NaN input, a class index out of range, a wrong input shape or a batch without labels → its code located at the split, field and row; the model unchanged; no tensor leaked', async (_, split, make) => {
    const model = tinyClassifier({ inputDim: 4 });
    const before = await hash(model);
    for (const [what, bad, code, message, location] of BAD) {
      // A validation set needs no labels: a batch without them is not a fault there.
      if (split === 'validation' && code === 'MISSING_LABELS') continue;
      const tensors = tf.memory().numTensors;
      const request = split === 'retain' ? { forget, retain: streamWith(bad) } : { forget, retain: data, validation: streamWith(bad) };
      const error = await expectCode(unlearn(model, request, make(), { inPlace: true }), code, message);
      expect({ split: error.split, field: error.field, ...(error.index !== undefined ? { index: error.index } : {}) }, what).toEqual({ split, ...location });
      expect(tf.memory().numTensors, what).toBe(tensors);
      expect(await hash(model), what).toBe(before);
    }
    model.dispose();
  });
});
