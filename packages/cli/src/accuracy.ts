import * as tf from '@tensorflow/tfjs-core';
import { iterateBatches, type ModelAdapter, type TensorDataset } from '@unlearn/core';

/** Sample-weighted top-1 accuracy in [0, 1], in inference mode. */
export async function accuracy(model: ModelAdapter, data: TensorDataset, batchSize = 256, signal?: AbortSignal): Promise<number> {
  if (!data.y) throw new Error('accuracy needs labels');
  let correct = 0;
  let total = 0;
  for await (const batch of iterateBatches(data, batchSize, signal ? { signal } : {})) {
    const hits = tf.tidy(() => tf.sum(tf.cast(tf.equal(tf.argMax(model.logits(batch.x), 1), batch.y!), 'int32')));
    correct += (await hits.data())[0]!;
    hits.dispose();
    total += batch.x.shape[0];
  }
  return total === 0 ? 0 : correct / total;
}
