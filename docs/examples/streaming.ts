import * as tf from '@tensorflow/tfjs-core';
import { fromBatches, unlearn, type UnlearnableModel } from '@unlearn/core';
import { jit } from '@unlearn/jit';

// #region stream
/**
 * Forget data larger than memory: a BatchSource yields batches on demand (here from a
 * callback reading rows [start, end)); each batch is disposed after use.
 */
export function streamed(total: number, readRows: (start: number, end: number) => Float32Array, rowShape: number[]) {
  return fromBatches(
    async function* (batchSize) {
      for (let start = 0; start < total; start += batchSize) {
        const end = Math.min(total, start + batchSize);
        yield { x: tf.tensor(readRows(start, end), [end - start, ...rowShape]) };
      }
    },
    { size: total, hasLabels: false },
  );
}
// #endregion stream

export async function main<M extends UnlearnableModel>(model: M, total: number, readRows: (start: number, end: number) => Float32Array, rowShape: number[]) {
  return unlearn(model, { forget: streamed(total, readRows, rowShape) }, jit({ batchSize: 4, nSamples: 3, sigma: 0.3, lr: 0.01 }));
}
