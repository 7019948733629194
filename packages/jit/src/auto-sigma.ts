import * as tf from '@tensorflow/tfjs-core';
import { iterateBatches, UnlearnError, type Dataset } from '@unlearn/core';

/**
 * σ per standard deviation of the forget inputs when `sigma` is 'auto': the `mnist-cnn` preset's
 * σ 0.2 over MNIST's pixel standard deviation 0.3081. Noise relative to the spread of the inputs
 * carries over between input scalings ([0, 1] pixels, standardised inputs, 0-255 bytes), where an
 * absolute σ does not.
 */
export const AUTO_SIGMA_PER_STD = 0.2 / 0.3081;

/** The standard deviation of every input value of the forget set, pooled (one pass, streaming). */
export async function inputStd(forget: Dataset, signal?: AbortSignal): Promise<number> {
  let n = 0;
  let sum = 0;
  let sumSq = 0;
  for await (const { x } of iterateBatches(forget, 256, { signal })) {
    const moments = tf.tidy(() => {
      const v = tf.cast(x, 'float32');
      return tf.stack([tf.sum(v), tf.sum(tf.square(v))]);
    });
    const [s, q] = await moments.data();
    moments.dispose();
    sum += s!;
    sumSq += q!;
    n += x.size;
  }
  const variance = n > 0 ? Math.max(0, sumSq / n - (sum / n) ** 2) : 0;
  if (!(variance > 0)) throw new UnlearnError('INVALID_OPTION', "jit: sigma 'auto' needs forget inputs that vary; every value is the same");
  return Math.sqrt(variance);
}
