import type { Worker } from 'node:worker_threads';
import * as tf from '@tensorflow/tfjs-core';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import { layersAdapter } from '../../model/layers-adapter.js';
import { crossEntropyGradients } from '../../tensor/gradients.js';
import { modelArtifacts } from './artifacts.js';
import { acquireReplicas, releaseReplicas, runOnReplica, workerHolds } from './pool.js';
import type { DispatchedForward, DispatchedGradients, GradientSums, ReplicaSession } from '../../parallel/plan.js';
import { concatRows, forwardHere, splitRows } from './rows.js';

export type { DispatchedForward, DispatchedGradients, GradientSums, ReplicaSession };

const modelKeys = new WeakMap<LayersModel, number>();
let nextKey = 1;
/**
 * Models a worker could not rebuild (say, a custom layer registered only on the calling thread):
 * their sessions start no workers, rather than a new one per call that fails the same way.
 */
const unreplicable = new WeakSet<LayersModel>();

/** False once a worker thread has failed to rebuild `model`. */
export function canReplicate(model: LayersModel): boolean {
  return !unreplicable.has(model);
}

function keyOf(model: LayersModel): number {
  let key = modelKeys.get(model);
  if (key === undefined) {
    key = nextKey++;
    modelKeys.set(model, key);
  }
  return key;
}

export function openReplicaSession(model: LayersModel, workers: number): ReplicaSession {
  const modelKey = keyOf(model);
  const all = unreplicable.has(model) ? [] : acquireReplicas(workers);
  const alive = new Set(all);
  /** Workers this session has sent the model to (they hold it once that task is done). */
  const sent = new Set<Worker>();
  let artifacts: tf.io.ModelArtifacts | undefined;
  const retire = (worker: Worker) => {
    alive.delete(worker);
    void worker.terminate();
  };
  /** What every task of one call shares: the rows as one array, the weights, the model if new. */
  const prepare = async (x: tf.Tensor) => {
    const rows = x.shape[0]!;
    const flat = tf.tidy(() => tf.cast(tf.reshape(x, [-1]), 'float32'));
    // A copy, kept for the fallback: the shares are transferred away.
    const values = ((await flat.data()) as Float32Array).slice();
    flat.dispose();
    // Copies, never the backend's own arrays: the weights here must stay intact.
    const weights = await Promise.all(model.weights.map(async (w) => ((await w.read().data()) as Float32Array).slice()));
    const needed = all.filter((w) => alive.has(w) && !sent.has(w) && !workerHolds(w, modelKey));
    if (needed.length > 0) artifacts ??= await modelArtifacts(model);
    const perRow = x.size / Math.max(1, rows);
    const task = (worker: Worker, share: { begin: number; size: number }) => ({
      backend: tf.getBackend(),
      modelKey,
      ...(needed.includes(worker) ? { artifacts } : {}),
      weights,
      x: values.slice(share.begin * perRow, (share.begin + share.size) * perRow),
      xShape: [share.size, ...x.shape.slice(1)],
    });
    // With no worker left, one share for the calling thread.
    const shares = all.length > 0 ? splitRows(rows, all.length) : [{ begin: 0, size: rows }];
    return { shares, values, perRow, sampleShape: x.shape.slice(1), task, needed };
  };
  /**
   * Runs `run` on `worker`, or `fallback` here when there is no such worker or it cannot do the
   * task (an abort still ends the call). `rebuilds`: the task carried the model to the worker.
   */
  const attempt = async <T>(worker: Worker | undefined, rebuilds: boolean, run: () => Promise<T>, fallback: () => T, signal?: AbortSignal): Promise<T> => {
    if (!worker || !alive.has(worker)) return fallback();
    sent.add(worker);
    try {
      return await run();
    } catch (error) {
      retire(worker);
      if (signal?.aborted) throw error;
      if (rebuilds) unreplicable.add(model);
      return fallback();
    }
  };
  /** Settles every pending share; on a failure, frees what the others made and retires the workers. */
  const settle = async <T>(pending: Promise<T>[], free: (value: T) => void): Promise<T[]> => {
    try {
      return await Promise.all(pending);
    } catch (error) {
      const done = await Promise.allSettled(pending);
      done.forEach((d) => d.status === 'fulfilled' && free(d.value));
      // Workers of a failed or aborted call may be mid-task: none is reused.
      for (const w of [...alive]) retire(w);
      throw error;
    }
  };
  return {
    workers,
    async dispatch(x, o) {
      const { shares, values, perRow, sampleShape, task, needed } = await prepare(x);
      const here = (share: { begin: number; size: number }) =>
        tf.tidy(() => {
          const part = tf.tensor(values.subarray(share.begin * perRow, (share.begin + share.size) * perRow), [share.size, ...sampleShape], 'float32');
          return concatRows(forwardHere(model, part, 0, share.size, o));
        });
      const pending = shares.map((share, i): Promise<tf.Tensor> => {
        const worker = all[i];
        const run = async () => {
          const t = { ...task(worker!, share), kind: 'forward' as const, output: o.output, training: o.training ?? false, chunkRows: o.chunkRows };
          const r = await runOnReplica(worker!, t, [t.x.buffer as ArrayBuffer], o.signal);
          return tf.tensor(r.values, r.shape, 'float32');
        };
        return attempt(worker, !!worker && needed.includes(worker), run, () => here(share), o.signal);
      });
      pending.forEach((p) => p.catch(() => undefined));
      return { collect: async () => concatRows(await settle(pending, (t) => t.dispose())) };
    },
    async dispatchGradients(x, y, o) {
      const { shares, values, perRow, sampleShape, task, needed } = await prepare(x);
      const yIndex = tf.tidy(() => tf.cast(y, 'int32'));
      const labels = ((await yIndex.data()) as Int32Array).slice();
      yIndex.dispose();
      const adapter = layersAdapter(model);
      const training = o.training ?? true;
      type Share = { rows: number; loss: number; grads: tf.Tensor[] };
      const here = (share: { begin: number; size: number }): Share => {
        const r = tf.tidy(() => {
          const xs = tf.tensor(values.subarray(share.begin * perRow, (share.begin + share.size) * perRow), [share.size, ...sampleShape], 'float32');
          const ys = tf.tensor1d(labels.subarray(share.begin, share.begin + share.size), 'int32');
          return crossEntropyGradients(adapter, xs, ys, training);
        });
        const loss = r.loss.dataSync()[0]!;
        r.loss.dispose();
        return { rows: share.size, loss, grads: r.grads };
      };
      const pending = shares.map((share, i): Promise<Share> => {
        const worker = all[i];
        const run = async () => {
          const t = { ...task(worker!, share), kind: 'gradients' as const, y: labels.slice(share.begin, share.begin + share.size), training };
          const r = await runOnReplica(worker!, t, [t.x.buffer as ArrayBuffer, t.y.buffer as ArrayBuffer], o.signal);
          return { rows: share.size, loss: r.loss, grads: r.grads.map((g, v) => tf.tensor(g, adapter.trainable[v]!.variable.shape, 'float32')) };
        };
        return attempt(worker, !!worker && needed.includes(worker), run, () => here(share), o.signal);
      });
      pending.forEach((p) => p.catch(() => undefined));
      return {
        async collect() {
          const parts = await settle(pending, (p) => tf.dispose(p.grads));
          const gradSums = tf.tidy(() => adapter.trainable.map((_, v) => tf.addN(parts.map((p) => tf.mul(p.grads[v]!, p.rows)))));
          parts.forEach((p) => tf.dispose(p.grads));
          return { rows: parts.reduce((n, p) => n + p.rows, 0), lossSum: parts.reduce((s, p) => s + p.loss * p.rows, 0), gradSums };
        },
      };
    },
    close() {
      releaseReplicas([...alive]);
      alive.clear();
    },
  };
}
