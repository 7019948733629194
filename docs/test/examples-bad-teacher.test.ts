import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it, } from 'vitest';
import { main } from '../examples/bad-teacher.js';
import { byClass, weightsOf, type TrainedTask, useTrainedTask } from './helpers.js';

// The Bad Teacher docs example, run on the tiny trained task (as docs/test/examples.test.ts does for the others).
let task: TrainedTask;
useTrainedTask((t) => (task = t));

describe('docs example: bad-teacher', () => {
  it('distils without labels, lowers the accuracy on the forgotten class and frees its tensors', async () => {
    const forget = byClass(task.train, 0);
    const retain = byClass(task.train, 0, false);
    const before = await weightsOf(task.model);
    const tensors = tf.memory().numTensors;
    const accuracy = (m: typeof task.model) =>
      tf.tidy(() => tf.mean(tf.cast(tf.equal(tf.argMax(m.predict(forget.x) as tf.Tensor, 1), forget.y), 'float32')).dataSync()[0]!);
    const result = await main(task.model, forget.x, retain.x, { epochs: 20, learningRate: 0.01, batchSize: 16 });
    expect(result.method).toBe('bad-teacher');
    expect(result.details.retainExamples).toBe(Math.floor(0.3 * retain.x.shape[0]!));
    expect(accuracy(result.model as typeof task.model)).toBeLessThan(accuracy(task.model));
    expect(await weightsOf(task.model)).toBe(before);
    result.model.dispose();
    expect(tf.memory().numTensors).toBe(tensors);
    tf.dispose([forget.x, forget.y, retain.x, retain.y]);
  });
});
