import * as tf from '@tensorflow/tfjs-core';
import { agreement, ClassCollector, forwardBatches } from '@unlearn/core';
import type { Dataset, ModelAdapter } from '@unlearn/core';

/** Mean softmax cross-entropy and sample-weighted top-1 accuracy, from one pass of core's predictor. */
export async function lossAndAccuracy(model: ModelAdapter, data: Dataset, batchSize: number): Promise<{ loss: number; accuracy: number }> {
  let loss = 0;
  let count = 0;
  const classes = new ClassCollector();
  for await (const batch of forwardBatches(model, data, { batchSize })) {
    const logits = batch.output;
    const ce = tf.tidy(() => tf.losses.softmaxCrossEntropy(tf.oneHot(batch.y!, logits.shape[1]!), logits, undefined, 0, tf.Reduction.SUM));
    loss += (await ce.data())[0]!;
    ce.dispose();
    await classes.add(batch);
    count += batch.x.shape[0]!;
  }
  const { predicted, labels } = classes.result();
  return { loss: loss / count, accuracy: agreement(predicted, labels!) };
}
