import * as tf from '@tensorflow/tfjs-core';
import { closeReplicaWorkers } from '@unlearn/core/node';
import { tinyCnn } from '@unlearn/core/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { accuracy, predictProbabilities } from '../src/index.js';
import { expectUnlearnError } from './helpers.js';

afterAll(() => closeReplicaWorkers());

describe('predictProbabilities on several threads', () => {
  it('gives the one-thread probabilities, and the same accuracy, with 2 and 3 threads', async () => {
    const model = tinyCnn({ size: 8, filters: 4, classes: 3 });
    const x = tf.randomUniform([50, 8, 8, 1], 0, 1, 'float32', 11);
    const y = tf.tensor1d(Array.from({ length: 50 }, (_, i) => i % 3), 'int32');
    const one = await predictProbabilities(model, x, { batchSize: 8, threads: 1 });
    const before = tf.memory().numTensors;
    for (const threads of [2, 3]) {
      const many = await predictProbabilities(model, x, { batchSize: 8, threads });
      expect(many.n).toBe(50);
      expect(many.classes).toBe(3);
      many.values.forEach((v, i) => expect(v).toBeCloseTo(one.values[i]!, 6));
      expect(await accuracy(model, { x, y }, { threads })).toBe(await accuracy(model, { x, y }, { threads: 1 }));
    }
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([x, y]);
    model.dispose();
  });

  it('still takes the batch size as a number', async () => {
    const model = tinyCnn({ size: 8, filters: 2, classes: 3 });
    const x = tf.randomUniform([5, 8, 8, 1]);
    const p = await predictProbabilities(model, x, 2);
    expect(p.n).toBe(5);
    tf.dispose(x);
    model.dispose();
  });

  it('rejects a thread count that is not a positive integer', async () => {
    const model = tinyCnn({ size: 8, filters: 2, classes: 3 });
    const x = tf.randomUniform([5, 8, 8, 1]);
    await expectUnlearnError(predictProbabilities(model, x, { threads: 0 }), 'INVALID_OPTION', /threads/);
    tf.dispose(x);
    model.dispose();
  });
});
