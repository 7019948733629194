import type { Worker } from 'node:worker_threads';
import * as tf from '@tensorflow/tfjs-core';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import { isUnlearnError } from '../../errors.js';
import { layersAdapter } from '../../model/layers-adapter.js';
import { crossEntropyGradients } from '../../gradients/gradients.js';
import { accumulateImportance, importanceObjective } from '../../gradients/importance.js';
import { modelArtifacts } from './artifacts.js';
import { acquireReplicas, ReplicaBuildError, releaseReplicas, runOnReplica, workerHolds } from './pool.js';
import type { DispatchedForward, DispatchedGradients, DispatchedImportance, GradientSums, ImportanceSums, ReplicaSession } from '../../threads/plan.js';
import { concatRows, forwardHere, splitRows } from './rows.js';

export type { DispatchedForward, DispatchedGradients, DispatchedImportance, GradientSums, ImportanceSums, ReplicaSession };

type Share = { begin: number; size: number };

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
  let modelLoads = 0;
  const retire = (worker: Worker) => {
    alive.delete(worker);
    void worker.terminate();
  };
  /**
   * What every task of one call shares: the rows as one array, the weights, the model if new.
   * `unit`: rows per indivisible piece of work (a batch), shares being whole pieces.
   */
  const prepare = async (x: tf.Tensor, unit = 1) => {
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
    const task = (worker: Worker, share: Share) => ({
      backend: tf.getBackend(),
      modelKey,
      ...(needed.includes(worker) ? { artifacts } : {}),
      weights,
      x: values.slice(share.begin * perRow, (share.begin + share.size) * perRow),
      xShape: [share.size, ...x.shape.slice(1)],
    });
    // With no worker left, one share for the calling thread.
    const pieces = all.length > 0 ? splitRows(Math.ceil(rows / unit), all.length) : [{ begin: 0, size: Math.ceil(rows / unit) }];
    const shares = pieces.map((p) => ({ begin: p.begin * unit, size: Math.min(rows, (p.begin + p.size) * unit) - p.begin * unit }));
    return { shares, values, perRow, sampleShape: x.shape.slice(1), task };
  };
  /**
   * Runs `run` on `worker`, or `fallback` here when there is no such worker or it cannot do the
   * task. An abort, or an UnlearnError the task raised (bad data, say), ends the call: this thread
   * would meet it too. A worker that could not build the model marks it unreplicable.
   */
  const attempt = async <T>(worker: Worker | undefined, run: () => Promise<T>, fallback: () => T | Promise<T>, signal?: AbortSignal): Promise<T> => {
    if (!worker || !alive.has(worker)) return fallback();
    sent.add(worker);
    try {
      return await run();
    } catch (error) {
      retire(worker);
      if (signal?.aborted || isUnlearnError(error)) throw error;
      if (error instanceof ReplicaBuildError) unreplicable.add(model);
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
  /** Counts a worker's replica build, from its reply. */
  const counted = <R extends { loaded: boolean }>(reply: R): R => {
    if (reply.loaded) modelLoads++;
    return reply;
  };
  return {
    workers,
    get modelLoads() {
      return modelLoads;
    },
    async dispatch(x, o) {
      const { shares, values, perRow, sampleShape, task } = await prepare(x);
      const here = (share: Share) =>
        tf.tidy(() => {
          const part = tf.tensor(values.subarray(share.begin * perRow, (share.begin + share.size) * perRow), [share.size, ...sampleShape], 'float32');
          return concatRows(forwardHere(model, part, 0, share.size, o));
        });
      const pending = shares.map((share, i): Promise<tf.Tensor> => {
        const worker = all[i];
        const run = async () => {
          const t = { ...task(worker!, share), kind: 'forward' as const, output: o.output, training: o.training ?? false, chunkRows: o.chunkRows };
          const r = counted(await runOnReplica(worker!, t, [t.x.buffer as ArrayBuffer], { signal: o.signal }));
          return tf.tensor(r.values, r.shape, 'float32');
        };
        return attempt(worker, run, () => here(share), o.signal);
      });
      pending.forEach((p) => p.catch(() => undefined));
      return { collect: async () => concatRows(await settle(pending, (t) => t.dispose())) };
    },
    async dispatchGradients(x, y, o) {
      const { shares, values, perRow, sampleShape, task } = await prepare(x);
      const yIndex = tf.tidy(() => tf.cast(y, 'int32'));
      const labels = ((await yIndex.data()) as Int32Array).slice();
      yIndex.dispose();
      const adapter = layersAdapter(model);
      const training = o.training ?? true;
      type Part = { rows: number; loss: number; grads: tf.Tensor[] };
      const here = (share: Share): Part => {
        const r = tf.tidy(() => {
          const xs = tf.tensor(values.subarray(share.begin * perRow, (share.begin + share.size) * perRow), [share.size, ...sampleShape], 'float32');
          const ys = tf.tensor1d(labels.subarray(share.begin, share.begin + share.size), 'int32');
          return crossEntropyGradients(adapter, xs, ys, training);
        });
        const loss = r.loss.dataSync()[0]!;
        r.loss.dispose();
        return { rows: share.size, loss, grads: r.grads };
      };
      const pending = shares.map((share, i): Promise<Part> => {
        const worker = all[i];
        const run = async () => {
          const t = { ...task(worker!, share), kind: 'gradients' as const, y: labels.slice(share.begin, share.begin + share.size), training };
          const r = counted(await runOnReplica(worker!, t, [t.x.buffer as ArrayBuffer, t.y.buffer as ArrayBuffer], { signal: o.signal }));
          return { rows: share.size, loss: r.loss, grads: r.grads.map((g, v) => tf.tensor(g, adapter.trainable[v]!.variable.shape, 'float32')) };
        };
        return attempt(worker, run, () => here(share), o.signal);
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
    async dispatchImportance(x, y, o) {
      const { shares, values, perRow, sampleShape, task } = await prepare(x, o.batchSize);
      let labels: Int32Array | undefined;
      if (y) {
        const yIndex = tf.tidy(() => tf.cast(y, 'int32'));
        labels = ((await yIndex.data()) as Int32Array).slice();
        yIndex.dispose();
      }
      const adapter = layersAdapter(model);
      type Part = { batches: number; means: tf.Tensor[] };
      const batchesOf = (share: Share) => Math.ceil(share.size / o.batchSize);
      /** A share on this thread; `skip`: batches a failed worker already reported, not reported twice. */
      const here = async (share: Share, skip: number): Promise<Part> => {
        const part = tf.tidy(() => {
          const xs = tf.tensor(values.subarray(share.begin * perRow, (share.begin + share.size) * perRow), [share.size, ...sampleShape], 'float32');
          return labels ? { x: xs, y: tf.tensor1d(labels.subarray(share.begin, share.begin + share.size), 'int32') } : { x: xs };
        });
        let done = 0;
        try {
          const means = await accumulateImportance(adapter, part, {
            batchSize: o.batchSize,
            loss: importanceObjective(o.objective),
            reduce: o.reduce,
            signal: o.signal,
            onProgress: () => ++done > skip && o.onBatch?.(),
          });
          return { batches: batchesOf(share), means };
        } finally {
          tf.dispose(Object.values(part));
        }
      };
      const pending = shares.map((share, i): Promise<Part> => {
        const worker = all[i];
        let reported = 0;
        const run = async () => {
          const shareY = labels?.slice(share.begin, share.begin + share.size);
          const t = { ...task(worker!, share), kind: 'importance' as const, objective: o.objective, reduce: o.reduce, batchSize: o.batchSize, ...(shareY ? { y: shareY } : {}) };
          const transfer = [t.x.buffer as ArrayBuffer, ...(shareY ? [shareY.buffer as ArrayBuffer] : [])];
          const onBatch = () => {
            reported++;
            o.onBatch?.();
          };
          const r = counted(await runOnReplica(worker!, t, transfer, { signal: o.signal, onBatch }));
          const shapes = adapter.trainable.map((v) => v.variable.shape);
          return { batches: r.batches, means: r.means.map((m, v) => tf.tensor(m, shapes[v]!, 'float32')) };
        };
        return attempt(worker, run, () => here(share, reported), o.signal);
      });
      pending.forEach((p) => p.catch(() => undefined));
      return {
        async collect(): Promise<ImportanceSums> {
          const parts = await settle(pending, (p) => tf.dispose(p.means));
          const sums = tf.tidy(() => adapter.trainable.map((_, v) => tf.addN(parts.map((p) => tf.mul(p.means[v]!, p.batches)))));
          parts.forEach((p) => tf.dispose(p.means));
          return { batches: parts.reduce((n, p) => n + p.batches, 0), sums };
        },
      };
    },
    close() {
      releaseReplicas([...alive]);
      alive.clear();
    },
  };
}
