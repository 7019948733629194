import * as tf from '@tensorflow/tfjs-core';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import { concatRows, forwardHere, type ForwardCall } from './rows.js';
import { openReplicaSession, type DispatchedForward } from './session.js';

export interface ParallelForwardOptions extends ForwardCall {
  /** Threads in all, the calling one included. */
  threads: number;
  /** Rows the calling thread takes (the first ones); by default an equal share. */
  localRows?: number;
}

/** One dispatch on a session of its own, closed when collected (see `ReplicaSession.dispatch`). */
export async function dispatchForward(model: LayersModel, x: tf.Tensor, o: ForwardCall & { workers: number }): Promise<DispatchedForward> {
  const session = openReplicaSession(model, o.workers);
  let dispatched: DispatchedForward;
  try {
    dispatched = await session.dispatch(x, o);
  } catch (error) {
    session.close();
    throw error;
  }
  return { collect: () => dispatched.collect().finally(() => session.close()) };
}

/**
 * `model`'s logits or probabilities on every row of `x`, the rows split between the calling
 * thread and `threads - 1` worker threads (see `dispatchForward`). Each row goes through the same
 * layers with the same weights wherever it is computed, so the result is the single-thread one
 * up to how a kernel orders its sums for a different number of rows.
 */
export async function parallelForward(model: LayersModel, x: tf.Tensor, o: ParallelForwardOptions): Promise<tf.Tensor> {
  const rows = x.shape[0]!;
  const threads = Math.max(1, Math.min(o.threads, rows));
  const localRows = Math.min(rows, o.localRows ?? Math.ceil(rows / threads));
  if (threads === 1 || localRows === rows) return concatRows(forwardHere(model, x, 0, rows, o));
  const remoteX = tf.slice(x, localRows);
  // The workers' own signal: the caller's, or a failure on this thread, stops them at once.
  const stop = new AbortController();
  const onAbort = () => stop.abort(o.signal?.reason);
  if (o.signal?.aborted) onAbort();
  else o.signal?.addEventListener('abort', onAbort, { once: true });
  try {
    return await forwardSplit(model, x, remoteX, localRows, threads, { ...o, signal: stop.signal }, stop);
  } finally {
    o.signal?.removeEventListener('abort', onAbort);
  }
}

async function forwardSplit(
  model: LayersModel,
  x: tf.Tensor,
  remoteX: tf.Tensor,
  localRows: number,
  threads: number,
  o: ForwardCall,
  stop: AbortController,
): Promise<tf.Tensor> {
  const dispatched = await dispatchForward(model, remoteX, { ...o, workers: threads - 1 }).finally(() => remoteX.dispose());
  let local: tf.Tensor[] = [];
  try {
    local = forwardHere(model, x, 0, localRows, o);
  } catch (error) {
    stop.abort(error);
    await dispatched.collect().then(
      (t) => t.dispose(),
      () => undefined,
    );
    throw error;
  }
  let remote: tf.Tensor;
  try {
    remote = await dispatched.collect();
  } catch (error) {
    tf.dispose(local);
    throw error;
  }
  return concatRows([...local, remote]);
}

