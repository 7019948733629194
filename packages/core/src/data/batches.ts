import * as tf from '@tensorflow/tfjs-core';
import { abortPoint } from '../run/abort-point.js';
import type { Rng } from '../random/rng.js';
import { shuffledIndices } from '../random/rng.js';
import { checkOneHot, toClassIndices } from './labels.js';
import type { Batch, Dataset } from './dataset.js';
import { isBatchSource } from './dataset.js';
import { isCheckedStream } from './checks.js';

export interface BatchOptions {
  /** Shuffle in-memory data with this generator (streams keep their own order). */
  shuffle?: Rng;
  signal?: AbortSignal;
}

/**
 * Yields mini-batches of `data`. Each batch's tensors are disposed when the consumer
 * asks for the next one (or leaves the loop), so a loop body never has to free them.
 */
export async function* iterateBatches(
  data: Dataset,
  batchSize: number,
  options: BatchOptions = {},
): AsyncGenerator<Batch, void, undefined> {
  if (!Number.isInteger(batchSize) || batchSize < 1) {
    throw new RangeError(`batchSize must be a positive integer (got ${batchSize})`);
  }
  const { signal, shuffle } = options;
  if (isBatchSource(data)) {
    // Row numbers count from the stream's start, so that an error names the row in the user's data.
    let offset = 0;
    // Streams a method reads come checked (unlearn() wraps them in checkedBatches). Public callers
    // (predictClasses, topOneAccuracy, classLabels, hashDataset, accumulateImportance) may pass an
    // unchecked one, whose one-hot rows argMax would silently turn into wrong classes.
    const unchecked = !isCheckedStream(data);
    for await (const batch of data.batches(batchSize)) {
      let y: tf.Tensor1D | undefined;
      try {
        await abortPoint(signal);
        if (unchecked && batch.y) await checkOneHot(batch.y, { row: (i) => `row ${i} of the streamed labels`, field: 'y', offset });
        offset += batch.x.shape[0] ?? 0;
        y = batch.y ? toClassIndices(batch.y) : undefined;
        yield y ? { x: batch.x, y } : { x: batch.x };
      } finally {
        batch.x.dispose();
        batch.y?.dispose();
        y?.dispose();
      }
    }
    return;
  }
  const n = data.x.shape[0];
  const order = shuffle ? tf.tensor1d(shuffledIndices(n, shuffle), 'int32') : undefined;
  const labels = data.y ? toClassIndices(data.y) : undefined;
  try {
    for (let start = 0; start < n; start += batchSize) {
      await abortPoint(signal);
      const size = Math.min(batchSize, n - start);
      const batch = tf.tidy(() => {
        const idx = order ? tf.slice(order, start, size) : undefined;
        const x = idx ? tf.gather(data.x, idx) : tf.slice(data.x, start, size);
        const y = labels ? (idx ? tf.gather(labels, idx) : tf.slice(labels, start, size)) : undefined;
        return y ? { x, y: y as tf.Tensor1D } : { x };
      });
      try {
        yield batch;
      } finally {
        batch.x.dispose();
        batch.y?.dispose();
      }
    }
  } finally {
    order?.dispose();
    labels?.dispose();
  }
}

/** Number of batches for `n` samples. */
export function batchCount(n: number, batchSize: number): number {
  return Math.ceil(n / batchSize);
}
