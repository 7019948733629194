import * as tf from '@tensorflow/tfjs-core';
import { isUnlearnError } from '@unlearn/core';
import { describe, expect, it, } from 'vitest';
import { main } from '../examples/unsir.js';
import { byClass, weightsOf, type TrainedTask, useTrainedTask } from './helpers.js';

// The UNSIR docs example, run on the tiny trained task (as docs/test/examples.test.ts does for the others).
let task: TrainedTask;
useTrainedTask((t) => (task = t));

describe('docs example: unsir', () => {
  const fast = { noiseBatch: 8, noiseSteps: 5, noiseCopies: 4, retainPerClass: 16, impairBatchSize: 16, repairBatchSize: 16 };

  it('forgets a whole class on a copy of the model and frees its tensors', async () => {
    const forget = byClass(task.train, 0);
    const retain = byClass(task.train, 0, false);
    const before = await weightsOf(task.model);
    const tensors = tf.memory().numTensors;
    const result = await main(task.model, forget, retain, fast);
    expect(result.method).toBe('unsir');
    expect(result.details.forgottenClasses).toEqual([0]);
    expect(await weightsOf(result.model)).not.toBe(before);
    expect(await weightsOf(task.model)).toBe(before);
    result.model.dispose();
    expect(tf.memory().numTensors).toBe(tensors);
    tf.dispose([forget.x, forget.y, retain.x, retain.y]);
  });

  it('refuses a forget set that is not whole classes, saying why', async () => {
    const forget = tf.tidy(() => ({ x: tf.slice(task.train.x, 0, 6), y: tf.slice(task.train.y, 0, 6) }));
    const error = await main(task.model, forget, task.train, fast).catch((e: unknown) => e);
    expect(isUnlearnError(error, 'UNSUPPORTED_REQUEST')).toBe(true);
    expect(console.log).toHaveBeenCalledWith(expect.stringMatching(/whole classes only/));
    tf.dispose([forget.x, forget.y]);
  });
});
