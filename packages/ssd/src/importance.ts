import * as tf from '@tensorflow/tfjs-core';
import {
  accumulateImportance,
  fromBatches,
  hasLabels,
  importanceObjective,
  isBatchSource,
  toModelAdapter,
  UnlearnError,
  type Batch,
  type BatchSource,
  type Dataset,
  type GradientReduction,
  type ImportanceObjective,
  type ModelAdapter,
  type UnlearnableModel,
} from '@unlearn/core';
import { planWorkers, type WorkerPlan } from './workers.js';

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
  onBatch?: (done: number, total: number | undefined) => void;
}

export const IMPORTANCE_REDUCTION: Record<ImportanceKind, GradientReduction> = { fisher: 'square', 'loss-free': 'abs' };

/** The objective whose gradient each kind measures, by name, so that worker threads run the same one. */
export const IMPORTANCE_OBJECTIVE: Record<ImportanceKind, ImportanceObjective> = { fisher: 'cross-entropy', 'loss-free': 'squared-logit-norm' };

async function checkLabels(y: tf.Tensor, classes: number | undefined): Promise<void> {
  if (classes === undefined) return;
  const range = tf.tidy(() => {
    const idx = y.rank === 2 ? tf.argMax(y, 1) : y;
    return tf.stack([tf.min(idx), tf.max(idx)]);
  });
  // Read asynchronously: a synchronous read inside the loss stalls GPU backends (and WebGPU in
  // Node cannot do it at all).
  const [lo, hi] = Array.from(await range.data());
  range.dispose();
  if (lo! < 0 || hi! >= classes) {
    throw new UnlearnError('LABEL_OUT_OF_RANGE', `A label (${lo! < 0 ? lo : hi}) is outside the model's classes (0..${classes - 1})`);
  }
}

/** The same stream, with each batch's labels checked before the loss sees them. */
function checkedSource(source: BatchSource, classes: number | undefined): BatchSource {
  return fromBatches(
    async function* (batchSize) {
      for await (const batch of source.batches(batchSize)) {
        if (batch.y) {
          try {
            await checkLabels(batch.y, classes);
          } catch (error) {
            tf.dispose([batch.x, batch.y]);
            throw error;
          }
        }
        yield batch;
      }
    },
    { size: source.size, hasLabels: source.hasLabels },
  );
}

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
  const adapter = toModelAdapter(model);
  if (kind === 'fisher' && !hasLabels(data)) {
    throw new UnlearnError('MISSING_LABELS', 'The Fisher (SSD) importance needs labelled data (give y)');
  }
  if (kind === 'fisher') {
    if (isBatchSource(data)) data = checkedSource(data, adapter.numClasses);
    else if (data.y) await checkLabels(data.y, adapter.numClasses);
  }
  const plan = await planWorkers(adapter, data, options);
  if (plan.threads > 1 && plan.run) {
    return { tensors: await plan.run(kind), plan };
  }
  const tensors = await accumulateImportance(adapter, data, {
    batchSize: options.batchSize,
    loss: importanceLoss(kind),
    reduce: IMPORTANCE_REDUCTION[kind],
    signal: options.signal,
    onBatch: options.onBatch,
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
