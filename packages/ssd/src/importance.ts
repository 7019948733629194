import type * as tf from '@tensorflow/tfjs-core';
import {
  accumulateImportance,
  checkBatch,
  checkedBatches,
  importanceObjective,
  isBatchSource,
  requireLabels,
  toModelAdapter,
  type Batch,
  type Dataset,
  type GradientReduction,
  type ImportanceObjective,
  type ModelAdapter,
  type ProgressEvent,
  type UnlearnableModel,
} from '@unlearn/core';
import { checkRenamedOptions, planWorkers, type WorkerPlan } from './workers.js';

/** 'fisher': SSD's squared gradient of the cross-entropy; 'loss-free': LF-SSD's |gradient| of ‖f(x)‖². */
export type ImportanceKind = 'fisher' | 'loss-free';

export interface ImportancePassOptions {
  batchSize: number;
  /**
   * Threads, the calling one included (Node, LayersModels, in-memory data); undefined picks
   * automatically (see `AUTO_MIN_SAMPLES`).
   */
  threads?: number;
  signal?: AbortSignal;
  /** After each batch, wherever it was computed: `{ phase: 'importance', step: batches done, total: batches in all }`. */
  onProgress?: (event: ProgressEvent) => void;
  /** Names the data in errors (the error's `split`); default 'train'. */
  split?: string;
}

const KIND_NAME: Record<ImportanceKind, string> = { fisher: 'Fisher (SSD) importance', 'loss-free': 'loss-free (LF-SSD) importance' };

export const IMPORTANCE_REDUCTION: Record<ImportanceKind, GradientReduction> = { fisher: 'square', 'loss-free': 'abs' };

/** The objective whose gradient each kind measures, by name, so that worker threads run the same one. */
export const IMPORTANCE_OBJECTIVE: Record<ImportanceKind, ImportanceObjective> = { fisher: 'cross-entropy', 'loss-free': 'squared-logit-norm' };

/**
 * The scalar whose gradient is the importance, for one batch, in inference mode: the batch-mean
 * softmax cross-entropy (SSD) or the batch mean of ‖logits‖²₂ (LF-SSD; the code squares the
 * norm although the abstract does not); docs/algorithms/ssd.md and lf-ssd.md, The math in short.
 */
export function importanceLoss(kind: ImportanceKind): (model: ModelAdapter, batch: Batch) => tf.Scalar {
  return importanceObjective(IMPORTANCE_OBJECTIVE[kind]);
}

export interface ImportanceResult {
  /** One tensor per trainable variable, in model order; the caller owns them. */
  tensors: tf.Tensor[];
  plan: WorkerPlan;
}

/** Importance of `kind` over `data`, on worker threads when the plan allows it. */
export async function importanceWithPlan(
  model: UnlearnableModel | ModelAdapter,
  data: Dataset,
  kind: ImportanceKind,
  options: ImportancePassOptions,
): Promise<ImportanceResult> {
  checkRenamedOptions(KIND_NAME[kind], options);
  const adapter = toModelAdapter(model);
  // A direct call has had no request check; in unlearn() core has checked in-memory data already,
  // and checking again costs one read of it. A stream is checked batch by batch as it is read.
  const where = { method: KIND_NAME[kind], split: options.split ?? 'train' };
  if (kind === 'fisher') requireLabels(data, where);
  if (isBatchSource(data)) data = checkedBatches(adapter, data, where);
  else await checkBatch(adapter, data, where);
  const plan = await planWorkers(adapter, data, options);
  if (plan.threads > 1 && plan.run) {
    return { tensors: await plan.run(kind), plan };
  }
  const tensors = await accumulateImportance(adapter, data, {
    batchSize: options.batchSize,
    loss: importanceLoss(kind),
    reduce: IMPORTANCE_REDUCTION[kind],
    signal: options.signal,
    onProgress: options.onProgress,
  });
  return { tensors, plan: { ...plan, threads: 1 } };
}

/**
 * SSD's diagonal-Fisher importance (docs/algorithms/ssd.md, The math in short): the mean over
 * mini-batches of the squared gradient of the batch-mean cross-entropy, one tensor per trainable
 * variable.
 */
export async function fisherImportance(
  model: UnlearnableModel | ModelAdapter,
  data: Dataset,
  options: ImportancePassOptions,
): Promise<tf.Tensor[]> {
  return (await importanceWithPlan(model, data, 'fisher', options)).tensors;
}

/**
 * LF-SSD's label-free importance (docs/algorithms/lf-ssd.md, The math in short): the mean over
 * mini-batches of |∂ mean‖f(x)‖²₂ / ∂θ|.
 */
export async function lossFreeImportance(
  model: UnlearnableModel | ModelAdapter,
  data: Dataset,
  options: ImportancePassOptions,
): Promise<tf.Tensor[]> {
  return (await importanceWithPlan(model, data, 'loss-free', options)).tensors;
}
