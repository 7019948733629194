import type * as tf from '@tensorflow/tfjs-core';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import type { TensorDataset } from '@unlearn/core';
import { parallelImportance as onThreads, splitRows } from '@unlearn/core/node';
import type { ImportanceKind, ImportancePassOptions } from '../importance.js';
import { checkRenamedOptions, importanceCall } from '../workers.js';

export interface ParallelImportanceOptions {
  kind: ImportanceKind;
  batchSize: number;
  /** Threads in all, the calling one included. */
  threads: number;
  signal?: AbortSignal;
  onProgress?: ImportancePassOptions['onProgress'];
}

/** Splits `batches` into `parts` contiguous runs, the first ones one batch longer. */
export function splitBatches(batches: number, parts: number): { start: number; count: number }[] {
  return splitRows(batches, parts).map((s) => ({ start: s.begin, count: s.size }));
}

/**
 * The importance of `kind` over `data` computed by `threads` threads, as importance tasks of a
 * core replica session (`parallelImportance` of `@unlearn/core/node`): the calling thread takes
 * the first contiguous share of batches and each worker one more, each worker building its
 * replica of the model once. Every batch is the one the single-thread pass sees.
 */
export async function parallelImportance(model: LayersModel, data: TensorDataset, options: ParallelImportanceOptions): Promise<tf.Tensor[]> {
  checkRenamedOptions('parallelImportance', options);
  const { kind, ...rest } = options;
  return onThreads(model, data, { ...rest, ...importanceCall(kind) });
}
