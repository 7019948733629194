import * as tf from '@tensorflow/tfjs-core';
import { expectUnlearnError } from '@unlearn/core/vitest';
import { describe, expect, it } from 'vitest';
import { readLabels } from '../src/data.js';

describe('readLabels (core\'s label rules, without a model)', () => {
  it('[bad input] a negative or fractional class, a one-hot row not summing to 1, labels of another length → LABEL_OUT_OF_RANGE or SHAPE_MISMATCH, located (split, field, index); no tensor leaked', async () => {
    const x = tf.zeros([3, 2]);
    const cases: [tf.Tensor, 'LABEL_OUT_OF_RANGE' | 'SHAPE_MISMATCH', RegExp, object][] = [
      [tf.tensor1d([0, -1, 2]), 'LABEL_OUT_OF_RANGE', /^accuracy: data\.y\[1\] = -1/, { split: 'data', field: 'y', index: 1 }],
      [tf.tensor1d([0, 1, 0.5]), 'LABEL_OUT_OF_RANGE', /data\.y\[2\] = 0\.5/, { split: 'data', field: 'y', index: 2 }],
      [tf.tensor2d([[1, 0], [0, 1], [1, 1]]), 'LABEL_OUT_OF_RANGE', /data\.y\[2\] is not a one-hot label/, { split: 'data', field: 'y', index: 2 }],
      [tf.tensor1d([0, 1], 'int32'), 'SHAPE_MISMATCH', /data\.y has 2 labels but data\.x has 3 samples/, { split: 'data', field: 'y' }],
    ];
    for (const [y, code, message, location] of cases) {
      const before = tf.memory().numTensors;
      const error = await expectUnlearnError(readLabels({ x, y }, 'accuracy: data'), code, message);
      expect(error).toMatchObject(location);
      expect(tf.memory().numTensors).toBe(before);
      y.dispose();
    }
    const good = tf.tensor2d([[0, 1], [1, 0], [0, 1]]);
    expect(Array.from(await readLabels({ x, y: good }, 'train'))).toEqual([1, 0, 1]);
    tf.dispose([x, good]);
  });
});
