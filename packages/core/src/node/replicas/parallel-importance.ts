import * as tf from '@tensorflow/tfjs-core';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import type { TensorDataset } from '../../data/dataset.js';
import { toClassIndices } from '../../data/labels.js';
import { layersAdapter } from '../../model/layers-adapter.js';
import type { ImportanceCallOptions } from '../../threads/plan.js';
import { accumulateImportance, importanceObjective } from '../../gradients/importance.js';
import { batchProgress } from '../../progress/batches.js';
import { splitRows } from './rows.js';
import { openReplicaSession, type DispatchedImportance } from './session.js';

export interface ParallelImportanceOptions extends ImportanceCallOptions {
  /** Threads in all, the calling one included. */
  threads: number;
}

/**
 * `accumulateImportance` over `data` with its batches split between the calling thread and
 * `threads - 1` worker threads of a replica session: the calling thread takes the first
 * contiguous share of batches, the workers one each of the rest. Shares start at multiples of the
 * batch size, so every batch is the one the single-thread pass sees; each thread returns the mean
 * over its batches and the means are recombined as Σ_w mean_w·M_w / M.
 */
export async function parallelImportance(model: LayersModel, data: TensorDataset, o: ParallelImportanceOptions): Promise<tf.Tensor[]> {
  const adapter = layersAdapter(model);
  const n = data.x.shape[0]!;
  const totalBatches = Math.ceil(n / o.batchSize);
  // One count for the batches of every thread, so the steps reported stay 1, 2, … in all.
  const onBatch = batchProgress('importance', o.onProgress, totalBatches);
  const pass = { batchSize: o.batchSize, loss: importanceObjective(o.objective), reduce: o.reduce, signal: o.signal, onProgress: onBatch };
  const threads = Math.max(1, Math.min(o.threads, totalBatches));
  if (threads === 1) return accumulateImportance(adapter, data, pass);
  const localRows = Math.min(n, splitRows(totalBatches, threads)[0]!.size * o.batchSize);
  const local = tf.tidy(() => {
    const x = tf.slice(data.x, 0, localRows);
    return data.y ? { x, y: tf.slice(data.y, 0, localRows) } : { x };
  });
  const session = openReplicaSession(model, threads - 1);
  // The workers' own signal: the caller's, or a failure on this thread, stops them at once.
  const stop = new AbortController();
  const onAbort = () => stop.abort(o.signal?.reason);
  if (o.signal?.aborted) onAbort();
  else o.signal?.addEventListener('abort', onAbort, { once: true });
  try {
    const remote = tf.tidy(() => {
      const x = tf.slice(data.x, localRows);
      return data.y ? { x, y: toClassIndices(tf.slice(data.y, localRows)) } : { x };
    });
    let dispatched: DispatchedImportance;
    try {
      dispatched = await session.dispatchImportance(remote.x, remote.y, { ...o, signal: stop.signal, onBatch });
    } finally {
      tf.dispose(Object.values(remote));
    }
    let means: tf.Tensor[];
    try {
      means = await accumulateImportance(adapter, local, pass);
    } catch (error) {
      stop.abort(error);
      await dispatched.collect().then(
        (r) => tf.dispose(r.sums),
        () => undefined,
      );
      throw error;
    }
    const localBatches = Math.ceil(localRows / o.batchSize);
    let remoteSums: tf.Tensor[] = [];
    try {
      const r = await dispatched.collect();
      remoteSums = r.sums;
      return tf.tidy(() => means.map((mean, v) => tf.div(tf.add(tf.mul(mean, localBatches), remoteSums[v]!), localBatches + r.batches)));
    } finally {
      tf.dispose([...means, ...remoteSums]);
    }
  } finally {
    o.signal?.removeEventListener('abort', onAbort);
    tf.dispose(Object.values(local));
    session.close();
  }
}
