import * as tf from '@tensorflow/tfjs-core';
import { iterateBatches } from '@unlearn/core';
import type { Dataset, ModelAdapter } from '@unlearn/core';

/** Mean softmax cross-entropy and sample-weighted accuracy in inference mode. */
export async function lossAndAccuracy(model: ModelAdapter, data: Dataset, batchSize: number): Promise<{ loss: number; accuracy: number }> {
  let loss = 0;
  let correct = 0;
  let count = 0;
  for await (const batch of iterateBatches(data, batchSize)) {
    const stats = tf.tidy(() => {
      const logits = model.logits(batch.x);
      const y = batch.y!;
      const ce = tf.losses.softmaxCrossEntropy(tf.oneHot(y, logits.shape[1]!), logits, undefined, 0, tf.Reduction.SUM);
      const hits = tf.sum(tf.cast(tf.equal(tf.argMax(logits, 1), tf.cast(y, 'int32')), 'float32'));
      return tf.stack([ce, hits]);
    });
    const [l, h] = await stats.data();
    stats.dispose();
    loss += l!;
    correct += h!;
    count += batch.x.shape[0]!;
  }
  return { loss: loss / count, accuracy: correct / count };
}
