import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it, } from 'vitest';
import { main, rewound } from '../examples/scrub.js';
import { byClass, weightsOf, type TrainedTask, useTrainedTask } from './helpers.js';

// The SCRUB docs example, run on the tiny trained task (as docs/test/examples.test.ts does for the others).
let task: TrainedTask;
useTrainedTask((t) => (task = t));

describe('docs example: scrub', () => {
  const fast = { preset: 'reference-subclass', learningRate: 0.05, batchSize: 16, forgetBatchSize: 16 } as const;

  it('changes a copy of the model and frees its tensors', async () => {
    const forget = byClass(task.train, 0);
    const retain = byClass(task.train, 0, false);
    const before = await weightsOf(task.model);
    const tensors = tf.memory().numTensors;
    const result = await main(task.model, { x: forget.x }, retain, fast);
    expect(result.method).toBe('scrub');
    expect(await weightsOf(result.model)).not.toBe(before);
    expect(await weightsOf(task.model)).toBe(before);
    result.model.dispose();
    expect(tf.memory().numTensors).toBe(tensors);
    tf.dispose([forget.x, forget.y, retain.x, retain.y]);
  });

  it('SCRUB+R reports the epoch it kept', async () => {
    const train0 = byClass(task.train, 0);
    const test0 = byClass(task.test, 0);
    const retain = byClass(task.train, 0, false);
    const result = await rewound(task.model, train0, retain, test0, { ...fast, epochs: 4 });
    const rewind = (result.details as { rewind: { chosenEpoch: number } }).rewind;
    expect(rewind.chosenEpoch).toBeGreaterThanOrEqual(1);
    expect(rewind.chosenEpoch).toBeLessThanOrEqual(4);
    result.model.dispose();
    tf.dispose([train0.x, train0.y, test0.x, test0.y, retain.x, retain.y]);
  });
});
