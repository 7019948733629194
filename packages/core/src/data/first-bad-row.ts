import * as tf from '@tensorflow/tfjs-core';

/**
 * The first sample of `data` ([n, ...]) that `isBad` flags, with its values flattened, or
 * undefined when none is. `isBad` maps the samples as rows [n, k] to a boolean [n]. Reads back two
 * numbers (asynchronously, as a GPU backend needs) unless a sample is bad, then that sample only.
 */
export async function firstBadRow(data: tf.Tensor, isBad: (rows: tf.Tensor2D) => tf.Tensor): Promise<{ index: number; values: number[] } | undefined> {
  const n = data.shape[0] ?? 0;
  if (n === 0) return undefined;
  const summary = tf.tidy(() => {
    const bad = tf.cast(isBad(tf.reshape(data, [n, -1])), 'int32');
    // argMax returns the first maximum: the first bad row when there is one.
    return tf.stack([tf.max(bad), tf.argMax(bad)]);
  });
  const [anyBad, index] = Array.from(await summary.data());
  summary.dispose();
  if (!anyBad) return undefined;
  const row = tf.tidy(() => tf.slice(tf.reshape(data, [n, -1]), [index!, 0], [1, -1]));
  const values = Array.from(await row.data());
  row.dispose();
  return { index: index!, values };
}
