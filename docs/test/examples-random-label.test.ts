import * as tf from '@tensorflow/tfjs-core';
import { toModelAdapter, type UnlearnableModel } from '@unlearn/core';
import { afterEach, beforeEach, describe, expect, it, } from 'vitest';
import { main as amnesiacExample } from '../examples/amnesiac.js';
import { main as salunExample } from '../examples/salun.js';
import { byClass, weightsOf, type TrainedTask, useTrainedTask } from './helpers.js';

// The Amnesiac and SalUn pages' examples, on the tiny fitted task of examples.test.ts.
let task: TrainedTask;
useTrainedTask((t) => (task = t));

const accuracy = (model: UnlearnableModel, set: { x: tf.Tensor; y: tf.Tensor }) =>
  tf.tidy(() => tf.mean(tf.cast(tf.equal(tf.argMax(toModelAdapter(model).logits(set.x), 1), set.y), 'float32')).dataSync()[0]!);

describe('random-label examples', () => {
  let tensorsBefore = 0;
  beforeEach(() => {
    tensorsBefore = tf.memory().numTensors;
  });
  afterEach(() => {
    expect(tf.memory().numTensors).toBe(tensorsBefore);
  });

  for (const [name, example, options] of [
    ['amnesiac', amnesiacExample, { epochs: 10, batchSize: 16, learningRate: 0.01 }],
    ['salun', salunExample, { epochs: 10, batchSize: 16, learningRate: 0.05 }],
  ] as const) {
    it(`${name}: class 0 is forgotten, the other classes kept, the input model untouched`, async () => {
      const forget = byClass(task.train, 0);
      const retain = byClass(task.train, 0, false);
      const before = await weightsOf(task.model);
      expect(accuracy(task.model, forget)).toBeGreaterThan(0.9);
      const result = await example(task.model, forget, retain, options);
      expect(result.method).toBe(name);
      expect(accuracy(result.model, forget)).toBeLessThan(0.2);
      expect(accuracy(result.model, retain)).toBeGreaterThan(0.8);
      expect(await weightsOf(task.model)).toBe(before);
      result.model.dispose();
      tf.dispose([forget.x, forget.y, retain.x, retain.y]);
    });
  }
});
