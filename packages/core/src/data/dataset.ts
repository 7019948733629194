import type * as tf from '@tensorflow/tfjs-core';

/** One mini-batch: inputs and, when the data is labelled, int32 class indices of shape [b]. */
export interface Batch {
  x: tf.Tensor;
  y?: tf.Tensor1D;
}

/** Data held in memory: `x` is [n, ...inputShape]; `y` is [n] class indices or [n, C] one-hot. */
export interface TensorDataset {
  x: tf.Tensor;
  y?: tf.Tensor;
}

/**
 * Data streamed in batches, for sets larger than memory. `batches` must yield tensors the
 * consumer owns (they are disposed after use) and may be called more than once.
 */
export interface BatchSource {
  readonly kind: 'batch-source';
  /** Number of samples, when known; lets the runner check emptiness and report progress. */
  readonly size?: number;
  readonly hasLabels: boolean;
  batches(batchSize: number): AsyncIterable<Batch>;
}

export type Dataset = TensorDataset | BatchSource;

export function isBatchSource(data: Dataset): data is BatchSource {
  return (data as BatchSource).kind === 'batch-source';
}

export function hasLabels(data: Dataset): boolean {
  return isBatchSource(data) ? data.hasLabels : data.y !== undefined;
}

/** Number of samples, or undefined for a stream that does not say. */
export function datasetSize(data: Dataset): number | undefined {
  return isBatchSource(data) ? data.size : data.x.shape[0];
}

/** Wraps an async generator factory as a `BatchSource`. */
export function fromBatches(
  batches: (batchSize: number) => AsyncIterable<Batch>,
  info: { size?: number; hasLabels: boolean },
): BatchSource {
  return { kind: 'batch-source', size: info.size, hasLabels: info.hasLabels, batches };
}
