import type * as tf from '@tensorflow/tfjs-core';
import { forwardBatches, invalidOption, planWorkerThreads, toModelAdapter } from '@unlearn/core';
import type { ModelAdapter, UnlearnableModel } from '@unlearn/core';

/** Softmax outputs of `n` samples over `classes` classes, row-major. */
export interface Probabilities {
  readonly values: Float32Array;
  readonly n: number;
  readonly classes: number;
}

export const DEFAULT_BATCH_SIZE = 256;

/** Rows from which an unset `threads` splits a prediction between threads (Node, LayersModel, wasm or cpu). */
export const AUTO_PARALLEL_PREDICT_ROWS = 4096;

export interface PredictOptions {
  /** Rows per forward pass. */
  batchSize?: number;
  /**
   * Threads in all, the calling one included, each with a replica of the model (Node, LayersModel,
   * wasm or cpu backend). Unset: every core (at most 4) from `AUTO_PARALLEL_PREDICT_ROWS` rows.
   */
  threads?: number;
  /** Stops the prediction between batches (`ABORTED`). */
  signal?: AbortSignal;
}

export function checkBatchSize(batchSize: number, where: string): void {
  if (!Number.isInteger(batchSize) || batchSize < 1) throw invalidOption(where, 'batchSize', 'a positive integer', batchSize);
}

/**
 * The model's softmax probabilities on `x`, in inference mode, computed in batches, on several
 * threads for large sets (see `PredictOptions.threads`). Every metric here is per sample, so the
 * batch size and the threads change speed only, never the values. `options` may be the batch size.
 */
export async function predictProbabilities(
  model: UnlearnableModel | ModelAdapter,
  x: tf.Tensor,
  options: number | PredictOptions = {},
): Promise<Probabilities> {
  const { batchSize = DEFAULT_BATCH_SIZE, threads, signal } = typeof options === 'number' ? { batchSize: options } : options;
  checkBatchSize(batchSize, 'predictProbabilities');
  if (threads !== undefined && (!Number.isInteger(threads) || threads < 1)) throw invalidOption('predictProbabilities', 'threads', 'a positive integer', threads);
  const adapter = toModelAdapter(model);
  const n = x.shape[0]!;
  const plan = await planWorkerThreads(adapter, { threads, rows: n, autoMinRows: AUTO_PARALLEL_PREDICT_ROWS });
  if (plan.forward) {
    const probs = await plan.forward(x, { output: 'probabilities', chunkRows: batchSize, ...(signal ? { signal } : {}) });
    const values = (await probs.data()) as Float32Array;
    const classes = probs.shape[1]!;
    probs.dispose();
    return { values, n, classes };
  }
  // On this thread: core's forward pass, the one every prediction goes through.
  let values = new Float32Array(0);
  let classes = 0;
  let start = 0;
  for await (const { output } of forwardBatches(adapter, { x }, { batchSize, signal, output: 'probabilities' })) {
    const data = (await output.data()) as Float32Array;
    if (classes === 0) {
      classes = output.shape[1]!;
      values = new Float32Array(n * classes);
    }
    values.set(data, start * classes);
    start += output.shape[0]!;
  }
  return { values, n, classes };
}

/** The rows `indices` of `probs`. */
export function selectRows(probs: Probabilities, indices: ArrayLike<number>): Probabilities {
  const { classes } = probs;
  const values = new Float32Array(indices.length * classes);
  for (let i = 0; i < indices.length; i++) {
    const row = indices[i]!;
    values.set(probs.values.subarray(row * classes, (row + 1) * classes), i * classes);
  }
  return { values, n: indices.length, classes };
}
