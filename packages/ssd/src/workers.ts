import type * as tf from '@tensorflow/tfjs-core';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import { datasetSize, isBatchSource, loadNodeEntry, whyNoWorkers, type Dataset, type ModelAdapter, type TensorDataset } from '@unlearn/core';
import type { ImportanceKind, ImportancePassOptions } from './importance.js';

/** With `workers` left unset, smaller sets stay in-process: starting a worker costs more than it saves. */
export const AUTO_MIN_SAMPLES = 512;

export interface WorkerPlan {
  /** Threads that compute the importance, the calling thread included. */
  workers: number;
  /** Why fewer threads than asked for are used, when that is the case. */
  reason?: string;
  run?: (kind: ImportanceKind) => Promise<tf.Tensor[]>;
}

/** What `@unlearn/ssd/node` offers the browser-safe entry. */
export interface NodeImportanceHelpers {
  defaultWorkerCount(): number;
  parallelImportance(
    model: LayersModel,
    data: TensorDataset,
    options: { kind: ImportanceKind; batchSize: number; workers: number; signal?: AbortSignal; onBatch?: ImportancePassOptions['onBatch'] },
  ): Promise<tf.Tensor[]>;
}

/**
 * How many threads an importance pass over `data` uses. Only LayersModels can be serialised to
 * a worker, and only in-memory data can be split at batch boundaries, so anything else runs
 * in-process.
 */
export async function planWorkers(model: ModelAdapter, data: Dataset, options: ImportancePassOptions): Promise<WorkerPlan> {
  const asked = options.workers;
  if (asked === 1) return { workers: 1 };
  const one = (reason: string): WorkerPlan => ({ workers: 1, reason });
  const why = whyNoWorkers(model);
  if (why) return one(why);
  if (isBatchSource(data)) return one('streamed data is read in-process');
  const size = datasetSize(data) ?? 0;
  if (asked === undefined && size < AUTO_MIN_SAMPLES) return one(`fewer than ${AUTO_MIN_SAMPLES} samples`);
  const helpers = await loadNodeEntry<NodeImportanceHelpers>('@unlearn/ssd/node');
  if (!helpers) return one('@unlearn/ssd/node could not be loaded');
  const batches = Math.ceil(size / options.batchSize);
  const workers = Math.min(asked ?? helpers.defaultWorkerCount(), batches);
  if (workers <= 1) return one(asked === undefined ? 'one core' : 'a single batch');
  return {
    workers,
    run: (kind) =>
      helpers.parallelImportance(model.model as LayersModel, data, {
        kind,
        batchSize: options.batchSize,
        workers,
        signal: options.signal,
        onBatch: options.onBatch,
      }),
  };
}
