import * as tf from '@tensorflow/tfjs-core';
import { invalidOption, type Rng } from '@unlearn/core';
import { gaussianSource } from '@unlearn/core';
import type { JitNoise } from './options.js';

/** Which noise a chunk of noisy forwards needs: draws [n0, n1) of rows [i0, i1) of a batch. */
export interface NoiseBlock {
  batchIndex: number;
  n0: number;
  n1: number;
  i0: number;
  i1: number;
  /** Rows in the whole batch. */
  rows: number;
  sampleShape: readonly number[];
}

/** Returns σε for a block, shaped [n1 - n0, i1 - i0, ...sampleShape]. */
export type NoiseProvider = (block: NoiseBlock, sigma: number) => tf.Tensor;

const sizeOf = (shape: readonly number[]) => shape.reduce((a, b) => a * b, 1);

/**
 * ε from the run's seeded generator. Blocks are requested in (draw, row) order, so the noise,
 * and hence the result, does not depend on how the draws are chunked.
 */
export function seededNoise(rng: Rng): NoiseProvider {
  const source = gaussianSource(rng);
  return ({ n0, n1, i0, i1, sampleShape }, sigma) => {
    const shape = [n1 - n0, i1 - i0, ...sampleShape];
    // A fresh array each time: some backends keep the array a tensor was made from.
    const values = new Float32Array(sizeOf(shape));
    source.fill(values, sigma);
    return tf.tensor(values, shape, 'float32');
  };
}

/** ε from a user function giving one whole draw at a time (for golden tests). */
export function injectedNoise(noise: JitNoise): NoiseProvider {
  return ({ batchIndex, n0, n1, i0, i1, rows, sampleShape }, sigma) => {
    const shape = [rows, ...sampleShape];
    const perRow = sizeOf(sampleShape);
    const values = new Float32Array((n1 - n0) * (i1 - i0) * perRow);
    for (let n = n0; n < n1; n++) {
      const eps = tf.tidy(() => {
        const t = noise(batchIndex, n, shape.slice());
        if (t.shape.length !== shape.length || t.shape.some((d, k) => d !== shape[k])) {
          throw invalidOption('jit', 'noise', `a function returning a tensor of shape [${shape.join(', ')}]`, t.shape);
        }
        return tf.cast(t, 'float32');
      });
      const data = eps.dataSync() as Float32Array;
      eps.dispose();
      values.set(data.subarray(i0 * perRow, i1 * perRow), (n - n0) * (i1 - i0) * perRow);
    }
    return tf.tidy(() => tf.mul(tf.tensor(values, [n1 - n0, i1 - i0, ...sampleShape], 'float32'), sigma));
  };
}
