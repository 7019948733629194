import type * as tf from '@tensorflow/tfjs-core';
import {
  datasetSize,
  isBatchSource,
  planWorkerThreads,
  type Dataset,
  type GradientReduction,
  type ImportanceObjective,
  type ModelAdapter,
  type TensorDataset,
  UnlearnError,
} from '@unlearn/core';
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

/** The named objective and reduction of `kind`, as core's importance passes take them on any thread. */
export function importanceCall(kind: ImportanceKind): { objective: ImportanceObjective; reduce: GradientReduction } {
  return { objective: IMPORTANCE_OBJECTIVE[kind], reduce: IMPORTANCE_REDUCTION[kind] };
}

/** Former option names of the importance passes, with what each is called now and what changed. */
const RENAMED: Record<string, string> = {
  workers: 'it is now called "threads"',
  onBatch: 'it is now called "onProgress", which receives ProgressEvents ({ phase, step, total }) as unlearn()\'s does',
};

/**
 * These option objects have no schema, so a former option name is caught here rather than
 * silently ignored.
 */
export function checkRenamedOptions(method: string, options: object): void {
  for (const [name, now] of Object.entries(RENAMED)) {
    if ((options as Record<string, unknown>)[name] !== undefined) {
      throw new UnlearnError('INVALID_OPTION', `${method}: option "${name}" was renamed: ${now}`);
    }
  }
}

/**
 * How many threads an importance pass over `data` uses (core's `planWorkerThreads`, counting
 * batches), and the pass on them: importance tasks of core's replica sessions. Only in-memory
 * data can be split at batch boundaries, so a stream runs in-process.
 */
export async function planWorkers(model: ModelAdapter, data: Dataset, options: ImportancePassOptions): Promise<WorkerPlan> {
  // A stream of unknown length is taken to be long; core decides the rest, then a stream stays here.
  const size = datasetSize(data) ?? Infinity;
  const plan = await planWorkerThreads(model, {
    threads: options.threads,
    rows: Math.ceil(size / options.batchSize),
    unit: 'batch',
    autoMinRows: AUTO_MIN_SAMPLES,
    autoCount: { count: size, unit: 'sample' },
  });
  const importance = plan.importance;
  if (!importance) return { threads: 1, ...(plan.reason ? { reason: plan.reason } : {}) };
  if (isBatchSource(data)) return { threads: 1, reason: 'streamed data is read in-process' };
  return {
    threads: plan.threads,
    run: (kind) =>
      importance(data as TensorDataset, { ...importanceCall(kind), batchSize: options.batchSize, signal: options.signal, onProgress: options.onProgress }),
  };
}
