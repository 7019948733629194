import * as tf from '@tensorflow/tfjs-core';
import { syntheticClassification, tinyClassifier } from '@unlearn/core/testing';
import type { LayersModel } from '@tensorflow/tfjs-layers';

export interface Task {
  model: LayersModel;
  forget: { x: tf.Tensor2D; y: tf.Tensor1D };
  train: { x: tf.Tensor2D; y: tf.Tensor1D };
  validation: { x: tf.Tensor2D; y: tf.Tensor1D };
  dispose(): void;
}

/** A tiny classifier with class 0 as the forget set; the training set contains the forget set. */
export function smallTask(seed = 1): Task {
  const model = tinyClassifier({ inputDim: 4, hidden: 8, classes: 3, seed });
  // One draw so that validation shares the class centres; the first 36 samples are the training set.
  const pool = syntheticClassification({ n: 60, inputDim: 4, classes: 3, seed });
  const all = { x: tf.slice(pool.x, 0, 36) as tf.Tensor2D, y: tf.slice(pool.y, 0, 36) as tf.Tensor1D };
  const validation = { x: tf.slice(pool.x, 36, 24) as tf.Tensor2D, y: tf.slice(pool.y, 36, 24) as tf.Tensor1D };
  tf.dispose([pool.x, pool.y]);
  const idx = tf.tensor1d(Array.from({ length: 12 }, (_, i) => 3 * i), 'int32');
  const forget = { x: tf.gather(all.x, idx) as tf.Tensor2D, y: tf.gather(all.y, idx) as tf.Tensor1D };
  idx.dispose();
  return {
    model,
    forget,
    train: all,
    validation,
    dispose: () => tf.dispose([forget.x, forget.y, all.x, all.y, validation.x, validation.y]),
  };
}

/** `smallTask` with the model trained to fit its training set, so that there is something to forget. */
export async function trainedTask(seed = 1): Promise<Task> {
  const task = smallTask(seed);
  task.model.compile({ optimizer: tf.train.adam(0.05), loss: 'sparseCategoricalCrossentropy' });
  const y = tf.cast(task.train.y, 'float32');
  await task.model.fit(task.train.x, y, { epochs: 60, batchSize: 36, verbose: 0 });
  y.dispose();
  return task;
}

export { expectUnlearnError as expectCode } from '@unlearn/core/vitest';
