import * as tf from '@tensorflow/tfjs-core';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import { hashWeights, toModelAdapter, type UnlearnableModel } from '@unlearn/core';
import { syntheticClassification, tinyClassifier } from '@unlearn/core/testing';
import { afterAll, beforeAll, vi } from 'vitest';

export const weightsOf = (model: UnlearnableModel) => hashWeights(toModelAdapter(model));

/**
 * A tiny dense classifier fitted on Gaussian blobs (one per class), with train and test rows
 * drawn from the same blobs. Labels cycle 0, 1, ..., classes - 1, so both splits are balanced.
 */
export async function trainedTask(opts: { classes?: number; nTrain?: number; nTest?: number; epochs?: number } = {}) {
  const { classes = 3, nTrain = 90, nTest = 30, epochs = 15 } = opts;
  const all = syntheticClassification({ n: nTrain + nTest, inputDim: 4, classes, seed: 1 });
  const [trainX, testX] = tf.split(all.x, [nTrain, nTest]);
  const [trainY, testY] = tf.split(all.y, [nTrain, nTest]);
  tf.dispose([all.x, all.y]);
  const train = { x: trainX!, y: trainY as tf.Tensor1D };
  const test = { x: testX!, y: testY as tf.Tensor1D };
  const model: LayersModel = tinyClassifier({ inputDim: 4, classes, seed: 1 });
  const fitY = tf.cast(train.y, 'float32');
  const optimizer = tf.train.adam(0.05);
  model.compile({ optimizer, loss: 'sparseCategoricalCrossentropy' });
  await model.fit(train.x, fitY, { epochs, batchSize: 16, shuffle: false, verbose: 0 });
  fitY.dispose();
  return {
    model,
    train,
    test,
    dispose() {
      optimizer.dispose();
      model.dispose();
      tf.dispose([train.x, train.y, test.x, test.y]);
    },
  };
}

/** Rows of `data` whose label is (or is not) `cls`. */
export function byClass(data: { x: tf.Tensor; y: tf.Tensor1D }, cls: number, keep = true) {
  const labels = data.y.dataSync();
  const rows = [...labels.keys()].filter((i) => (labels[i] === cls) === keep);
  return tf.tidy(() => {
    const idx = tf.tensor1d(rows, 'int32');
    return { x: tf.gather(data.x, idx), y: tf.gather(data.y, idx) as tf.Tensor1D };
  });
}

export type TrainedTask = Awaited<ReturnType<typeof trainedTask>>;

/**
 * The docs example tests' setup: one trained task for the file (handed to `receive`), the
 * examples' console output silenced, both undone after the file.
 */
export function useTrainedTask(receive: (task: TrainedTask) => void): void {
  let task: TrainedTask | undefined;
  beforeAll(async () => {
    task = await trainedTask();
    receive(task);
    vi.spyOn(console, 'log').mockImplementation(() => {});
  });
  afterAll(() => {
    task?.dispose();
    vi.restoreAllMocks();
  });
}
