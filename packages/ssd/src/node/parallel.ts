import * as tf from '@tensorflow/tfjs-core';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import { accumulateImportance, toClassIndices, toModelAdapter, UnlearnError, type TensorDataset } from '@unlearn/core';
import { modelArtifacts, splitRows } from '@unlearn/core/node';
import { IMPORTANCE_REDUCTION, importanceLoss, type ImportanceKind, type ImportancePassOptions } from '../importance.js';
import { acquireWorkers, releaseWorkers, runOnWorker, type TaskResult } from './pool.js';

export interface ParallelImportanceOptions {
  kind: ImportanceKind;
  batchSize: number;
  /** Threads in all, the calling one included. */
  workers: number;
  signal?: AbortSignal;
  onBatch?: ImportancePassOptions['onBatch'];
}

/** Splits `batches` into `parts` contiguous runs, the first ones one batch longer. */
export function splitBatches(batches: number, parts: number): { start: number; count: number }[] {
  return splitRows(batches, parts).map((s) => ({ start: s.begin, count: s.size }));
}

/** Mean importance over samples [begin, begin + size) on the calling thread. */
async function localShare(
  model: LayersModel,
  data: TensorDataset,
  begin: number,
  size: number,
  o: ParallelImportanceOptions,
  onBatch: () => void,
): Promise<tf.Tensor[]> {
  const part = tf.tidy(() => {
    const x = tf.slice(data.x, begin, size);
    return data.y ? { x, y: tf.slice(data.y, begin, size) } : { x };
  });
  try {
    return await accumulateImportance(toModelAdapter(model), part, {
      batchSize: o.batchSize,
      loss: importanceLoss(o.kind),
      reduce: IMPORTANCE_REDUCTION[o.kind],
      signal: o.signal,
      onBatch,
    });
  } finally {
    tf.dispose(Object.values(part));
  }
}

// One parallel pass at a time, so two concurrent runs never share a worker.
let lock: Promise<unknown> = Promise.resolve();

/**
 * The importance over `data` computed by `workers` threads: the calling thread takes the first
 * contiguous share of batches and each worker one more. Shares start at multiples of the batch
 * size, so every batch is the one the single-thread pass sees; each thread returns the mean of
 * its batches and the results are recombined as Σ_w mean_w·M_w / M.
 */
export function parallelImportance(model: LayersModel, data: TensorDataset, options: ParallelImportanceOptions): Promise<tf.Tensor[]> {
  const result = lock.then(() => runParallel(model, data, options));
  lock = result.catch(() => undefined);
  return result;
}

async function runParallel(model: LayersModel, data: TensorDataset, o: ParallelImportanceOptions): Promise<tf.Tensor[]> {
  const n = data.x.shape[0]!;
  const totalBatches = Math.ceil(n / o.batchSize);
  const shares = splitBatches(totalBatches, o.workers);
  const sampleRange = (s: { start: number; count: number }) => {
    const begin = s.start * o.batchSize;
    return { begin, size: Math.min(n, (s.start + s.count) * o.batchSize) - begin };
  };
  const xAll = data.x.dtype === 'float32' ? data.x : tf.cast(data.x, 'float32');
  const xValues = (await xAll.data()) as Float32Array;
  if (xAll !== data.x) xAll.dispose();
  let yValues: Int32Array | undefined;
  if (data.y) {
    const idx = toClassIndices(data.y);
    yValues = (await idx.data()) as Int32Array;
    idx.dispose();
  }
  const perSample = xValues.length / n;
  const artifacts = await modelArtifacts(model);
  const backend = tf.getBackend();
  let done = 0;
  const onBatch = () => o.onBatch?.(++done, totalBatches);

  let cancelled = false;
  const workers = acquireWorkers(shares.length - 1);
  const healthy = new Set(workers);
  const remote = shares.slice(1).map((share, i) => {
    const { begin, size } = sampleRange(share);
    const x = xValues.slice(begin * perSample, (begin + size) * perSample);
    const y = yValues?.slice(begin, begin + size);
    const worker = workers[i]!;
    const task = { backend, kind: o.kind, batchSize: o.batchSize, artifacts, x, xShape: [size, ...data.x.shape.slice(1)], ...(y ? { y } : {}) };
    const transfer = y ? [x.buffer, y.buffer] : [x.buffer];
    let reported = 0;
    const countBatch = () => {
      reported++;
      onBatch();
    };
    return runOnWorker(worker, task, transfer as ArrayBuffer[], countBatch, o.signal).catch(async (error: unknown): Promise<TaskResult> => {
      healthy.delete(worker);
      // A worker that could not start or crashed (e.g. a custom layer it does not know) is
      // replaced by the calling thread; errors about the data or an abort propagate.
      if (error instanceof UnlearnError || cancelled) throw error;
      let redone = 0;
      const means = await localShare(model, data, begin, size, o, () => ++redone > reported && onBatch());
      const values = await Promise.all(means.map(async (m) => (await m.data()) as Float32Array));
      tf.dispose(means);
      return { means: values, batches: share.count };
    });
  });
  remote.forEach((p) => p.catch(() => undefined));

  const local = sampleRange(shares[0]!);
  let localMeans: tf.Tensor[] = [];
  try {
    localMeans = await localShare(model, data, local.begin, local.size, o, onBatch);
    const results = await Promise.all(remote);
    return tf.tidy(() =>
      localMeans.map((mean, v) => {
        let sum = tf.mul(mean, shares[0]!.count);
        results.forEach((r) => {
          sum = tf.add(sum, tf.mul(tf.tensor(r.means[v]!, mean.shape, 'float32'), r.batches));
        });
        return tf.div(sum, totalBatches);
      }),
    );
  } catch (error) {
    // A failed or aborted pass leaves workers mid-task; they are not reused.
    cancelled = true;
    for (const w of healthy) void w.terminate();
    healthy.clear();
    throw error;
  } finally {
    tf.dispose(localMeans);
    releaseWorkers([...healthy]);
  }
}
