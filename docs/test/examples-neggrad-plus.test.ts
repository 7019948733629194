import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it, } from 'vitest';
import { main, plain } from '../examples/neggrad-plus.js';
import { byClass, weightsOf, type TrainedTask, useTrainedTask } from './helpers.js';

// The NegGrad+ docs example, run on the tiny trained task (as docs/test/examples.test.ts does for the others).
let task: TrainedTask;
useTrainedTask((t) => (task = t));

describe('docs example: neggrad-plus', () => {
  const fast = { epochs: 2, batchSize: 16, forgetBatchSize: 8, learningRate: 0.05 };

  it('NegGrad+ changes a copy of the model and frees its tensors', async () => {
    const forget = byClass(task.train, 0);
    const retain = byClass(task.train, 0, false);
    const before = await weightsOf(task.model);
    const tensors = tf.memory().numTensors;
    const result = await main(task.model, forget, retain, fast);
    expect(result.method).toBe('neggrad-plus');
    expect(result.details.beta).toBeCloseTo(0.95, 12);
    expect(await weightsOf(result.model)).not.toBe(before);
    expect(await weightsOf(task.model)).toBe(before);
    result.model.dispose();
    expect(tf.memory().numTensors).toBe(tensors);
    tf.dispose([forget.x, forget.y, retain.x, retain.y]);
  });

  it('plain NegGrad runs on the forget set alone', async () => {
    const forget = byClass(task.train, 0);
    const result = await plain(task.model, forget, fast);
    expect(result.details.plain).toBe(true);
    expect(await weightsOf(result.model)).not.toBe(await weightsOf(task.model));
    result.model.dispose();
    tf.dispose([forget.x, forget.y]);
  });
});
