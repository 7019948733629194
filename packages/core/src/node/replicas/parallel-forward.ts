import type { Worker } from 'node:worker_threads';
import * as tf from '@tensorflow/tfjs-core';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import { layersAdapter } from '../../model/layers-adapter.js';
import { modelArtifacts } from './artifacts.js';
import { acquireReplicas, releaseReplicas, runForward, workerHolds } from './pool.js';
import type { ForwardOutput } from './protocol.js';

export interface ParallelForwardOptions {
  output: ForwardOutput;
  training?: boolean;
  /** Threads in all, the calling one included. */
  threads: number;
  /** Rows per forward pass at most, on every thread. */
  chunkRows: number;
  /** Rows the calling thread takes (the first ones); by default an equal share. */
  localRows?: number;
  signal?: AbortSignal;
}

const modelKeys = new WeakMap<LayersModel, number>();
let nextKey = 1;

function keyOf(model: LayersModel): number {
  let key = modelKeys.get(model);
  if (key === undefined) {
    key = nextKey++;
    modelKeys.set(model, key);
  }
  return key;
}

/** `model` on rows [begin, end) of `x` on the calling thread, `chunkRows` at a time. */
function forwardHere(model: LayersModel, x: tf.Tensor, begin: number, end: number, o: Pick<ParallelForwardOptions, 'output' | 'training' | 'chunkRows'>): tf.Tensor[] {
  const adapter = layersAdapter(model);
  const out: tf.Tensor[] = [];
  for (let start = begin; start < end; start += o.chunkRows) {
    const size = Math.min(o.chunkRows, end - start);
    out.push(
      tf.tidy(() => {
        const rows = tf.slice(x, start, size);
        const options = { training: o.training ?? false };
        return o.output === 'logits' ? adapter.logits(rows, options) : adapter.probabilities(rows, options);
      }),
    );
  }
  return out;
}

/** Forward passes posted to worker threads, whose outputs `collect` waits for. */
export interface DispatchedForward {
  /** The outputs of every dispatched row, in row order; call once. */
  collect(): Promise<tf.Tensor>;
}

export type ForwardCall = Pick<ParallelForwardOptions, 'output' | 'training' | 'chunkRows' | 'signal'>;

/**
 * A set of worker threads, each holding a replica of one model, that take forward passes until
 * `close`. Several dispatches may be out at once: a worker runs its tasks in order.
 */
export interface ForwardSession {
  /** The number of worker threads. */
  readonly workers: number;
  /**
   * Posts the rows of `x`, split between the workers, with the model's current weights, and
   * resolves once they are on their way, so that the calling thread can work meanwhile. `x` may
   * be disposed as soon as this resolves. A worker that cannot run the model (say, a custom
   * layer it does not know) has its rows computed by `collect` on the calling thread instead.
   */
  dispatch(x: tf.Tensor, o: ForwardCall): Promise<DispatchedForward>;
  /** Returns the workers to the pool; call once every dispatch has been collected. */
  close(): void;
}

export function openForwardSession(model: LayersModel, workers: number): ForwardSession {
  const modelKey = keyOf(model);
  const all = acquireReplicas(workers);
  const alive = new Set(all);
  /** Workers this session has sent the model to (they hold it once that task is done). */
  const sent = new Set<Worker>();
  let artifacts: tf.io.ModelArtifacts | undefined;
  const retire = (worker: Worker) => {
    alive.delete(worker);
    void worker.terminate();
  };
  return {
    workers,
    async dispatch(x, o) {
      const rows = x.shape[0]!;
      const shares = splitRows(rows, all.length);
      const perRow = x.size / Math.max(1, rows);
      const flat = tf.tidy(() => tf.cast(tf.reshape(x, [-1]), 'float32'));
      // A copy, kept for the fallback: the shares below are transferred away.
      const values = ((await flat.data()) as Float32Array).slice();
      flat.dispose();
      const sampleShape = x.shape.slice(1);
      // Copies, never the backend's own arrays: the weights here must stay intact.
      const weights = await Promise.all(model.weights.map(async (w) => ((await w.read().data()) as Float32Array).slice()));
      const needed = all.filter((w) => alive.has(w) && !sent.has(w) && !workerHolds(w, modelKey));
      if (needed.length > 0) artifacts ??= await modelArtifacts(model);
      const here = (share: { begin: number; size: number }) =>
        tf.tidy(() => {
          const part = tf.tensor(values.subarray(share.begin * perRow, (share.begin + share.size) * perRow), [share.size, ...sampleShape], 'float32');
          return concatRows(forwardHere(model, part, 0, share.size, o));
        });
      const pending = shares.map(async (share, i): Promise<tf.Tensor> => {
        const worker = all[i]!;
        if (!alive.has(worker)) return here(share);
        const xs = values.slice(share.begin * perRow, (share.begin + share.size) * perRow);
        const task = {
          backend: tf.getBackend(),
          modelKey,
          ...(needed.includes(worker) ? { artifacts } : {}),
          weights,
          x: xs,
          xShape: [share.size, ...sampleShape],
          output: o.output,
          training: o.training ?? false,
          chunkRows: o.chunkRows,
        };
        sent.add(worker);
        try {
          const r = await runForward(worker, task, [xs.buffer as ArrayBuffer], o.signal);
          return tf.tensor(r.values, r.shape, 'float32');
        } catch (error) {
          retire(worker);
          // Only an abort ends the call; whatever else kept a worker from its rows, they are
          // computed here instead.
          if (o.signal?.aborted) throw error;
          return here(share);
        }
      });
      pending.forEach((p) => p.catch(() => undefined));
      return {
        async collect() {
          try {
            return concatRows(await Promise.all(pending));
          } catch (error) {
            const done = await Promise.allSettled(pending);
            done.forEach((d) => d.status === 'fulfilled' && d.value.dispose());
            // Workers of a failed or aborted call may be mid-task: none is reused.
            for (const w of [...alive]) retire(w);
            throw error;
          }
        },
      };
    },
    close() {
      releaseReplicas([...alive]);
      alive.clear();
    },
  };
}

/** One dispatch on a session of its own, closed when collected (see `ForwardSession.dispatch`). */
export async function dispatchForward(model: LayersModel, x: tf.Tensor, o: ForwardCall & { workers: number }): Promise<DispatchedForward> {
  const session = openForwardSession(model, o.workers);
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
  const dispatched = await dispatchForward(model, remoteX, { ...o, workers: threads - 1 }).finally(() => remoteX.dispose());
  let local: tf.Tensor[] = [];
  try {
    local = forwardHere(model, x, 0, localRows, o);
  } catch (error) {
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

function concatRows(parts: tf.Tensor[]): tf.Tensor {
  if (parts.length === 1) return parts[0]!;
  if (parts.length === 0) throw new Error('concatRows: no rows');
  const out = tf.concat(parts, 0);
  tf.dispose(parts);
  return out;
}

/** `total` rows in `parts` contiguous shares, the first ones one row longer; empty shares dropped. */
export function splitRows(total: number, parts: number): { begin: number; size: number }[] {
  if (parts <= 0) return [];
  const base = Math.floor(total / parts);
  const extra = total % parts;
  const out: { begin: number; size: number }[] = [];
  let begin = 0;
  for (let i = 0; i < parts; i++) {
    const size = base + (i < extra ? 1 : 0);
    if (size > 0) out.push({ begin, size });
    begin += size;
  }
  return out;
}
