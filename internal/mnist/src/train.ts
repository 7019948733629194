import * as tf from '@tensorflow/tfjs-core';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import { createRng, iterateBatches, toModelAdapter, topOneAccuracy, type TensorDataset } from '@unlearn/core';

export interface FitOptions {
  epochs: number;
  batchSize?: number;
  learningRate?: number;
  seed?: number;
  onEpoch?: (epoch: number, loss: number) => void;
}

/**
 * Adam on softmax cross-entropy with seeded shuffling: the recipe the pretrained model was
 * trained with. (tfjs's model.fit shuffles with Math.random, so it cannot be reproduced.)
 */
export async function fitClassifier(model: LayersModel, data: TensorDataset, options: FitOptions): Promise<number[]> {
  const adapter = toModelAdapter(model);
  const vars = adapter.trainable.map((v) => v.variable);
  const optimizer = tf.train.adam(options.learningRate ?? 1e-3);
  const rng = createRng(options.seed ?? 1).fork('fit');
  const losses: number[] = [];
  for (let epoch = 0; epoch < options.epochs; epoch++) {
    let total = 0;
    let count = 0;
    for await (const batch of iterateBatches(data, options.batchSize ?? 64, { shuffle: rng })) {
      const loss = optimizer.minimize(
        () => tf.losses.softmaxCrossEntropy(tf.oneHot(batch.y!, adapter.numClasses!), adapter.logits(batch.x, { training: true })) as tf.Scalar,
        true,
        vars,
      )!;
      total += (await loss.data())[0]! * batch.x.shape[0];
      count += batch.x.shape[0];
      loss.dispose();
    }
    losses.push(total / count);
    options.onEpoch?.(epoch + 1, total / count);
  }
  optimizer.dispose();
  return losses;
}

/** Sample-weighted top-1 accuracy of `model` on `data` (core's `topOneAccuracy`). */
export function accuracyOf(model: LayersModel, data: TensorDataset, batchSize = 256): Promise<number> {
  return topOneAccuracy(toModelAdapter(model), data, { batchSize });
}
