import type * as tf from '@tensorflow/tfjs-core';
import { datasetSize, isBatchSource, planWorkerThreads, whyNoWorkers, type Dataset, type ModelAdapter, type TensorDataset } from '@unlearn/core';
import { IMPORTANCE_OBJECTIVE, IMPORTANCE_REDUCTION, type ImportanceKind, type ImportancePassOptions } from './importance.js';

/** With `threads` left unset, smaller sets stay in-process: starting a worker costs more than it saves. */
export const AUTO_MIN_SAMPLES = 512;

export interface WorkerPlan {
  /** Threads that compute the importance, the calling thread included. */
  threads: number;
  /** Why fewer threads than asked for are used, when that is the case. */
  reason?: string;
  run?: (kind: ImportanceKind) => Promise<tf.Tensor[]>;
}

/**
 * How many threads an importance pass over `data` uses, and the pass on them: importance tasks
 * of core's replica sessions (`@unlearn/core/node`). Only LayersModels can be rebuilt in a
 * worker, and only in-memory data can be split at batch boundaries, so anything else runs
 * in-process.
 */
export async function planWorkers(model: ModelAdapter, data: Dataset, options: ImportancePassOptions): Promise<WorkerPlan> {
  const asked = options.threads;
  if (asked === 1) return { threads: 1 };
  const one = (reason: string): WorkerPlan => ({ threads: 1, reason });
  const why = whyNoWorkers(model);
  if (why) return one(why);
  if (isBatchSource(data)) return one('streamed data is read in-process');
  const size = datasetSize(data) ?? 0;
  if (asked === undefined && size < AUTO_MIN_SAMPLES) return one(`fewer than ${AUTO_MIN_SAMPLES} samples`);
  const batches = Math.ceil(size / options.batchSize);
  const plan = await planWorkerThreads(model, { threads: asked, rows: batches, autoMinRows: 0, unit: 'batch' });
  const importance = plan.importance;
  if (!importance) return one(plan.reason ?? 'one thread');
  return {
    threads: plan.threads,
    run: (kind) =>
      importance(data as TensorDataset, {
        objective: IMPORTANCE_OBJECTIVE[kind],
        reduce: IMPORTANCE_REDUCTION[kind],
        batchSize: options.batchSize,
        signal: options.signal,
        onBatch: options.onBatch,
      }),
  };
}
