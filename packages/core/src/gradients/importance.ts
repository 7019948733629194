import * as tf from '@tensorflow/tfjs-core';
import { UnlearnError } from '../errors.js';
import type { Batch, Dataset } from '../data/dataset.js';
import { datasetSize } from '../data/dataset.js';
import { iterateBatches } from '../data/batches.js';
import type { ModelAdapter } from '../model/types.js';
import type { ProgressEvent } from '../contract/unlearner.js';
import { batchProgress } from '../progress/batches.js';
import { gradientsOf } from './gradients.js';

export type GradientReduction = 'square' | 'abs';

/**
 * Importance objectives by name, so that a worker thread runs the very loss the calling thread
 * would: 'cross-entropy', the batch-mean softmax cross-entropy of the labels (SSD's diagonal
 * Fisher); 'squared-logit-norm', the batch mean of ‖logits‖²₂ (LF-SSD's label-free importance).
 * Both in inference mode.
 */
export type ImportanceObjective = 'cross-entropy' | 'squared-logit-norm';

/** The loss of the objective `name`, for one batch (labels as class indices). */
export function importanceObjective(name: ImportanceObjective): (model: ModelAdapter, batch: Batch) => tf.Scalar {
  if (name === 'squared-logit-norm') {
    return (model, batch) => tf.mean(tf.sum(tf.square(model.logits(batch.x, { training: false })), 1)) as tf.Scalar;
  }
  return (model, batch) => {
    if (!batch.y) throw new UnlearnError('MISSING_LABELS', 'The cross-entropy importance needs labels on every batch', { field: 'y' });
    const logits = model.logits(batch.x, { training: false });
    return tf.losses.softmaxCrossEntropy(tf.oneHot(batch.y as tf.Tensor1D, logits.shape[1]!), logits) as tf.Scalar;
  };
}

export interface ImportanceOptions {
  batchSize: number;
  /** The scalar whose gradient measures importance, for one batch. */
  loss: (model: ModelAdapter, batch: Batch) => tf.Scalar;
  /** How each batch's gradient enters the sum: squared (Fisher) or absolute (MAS). */
  reduce: GradientReduction;
  signal?: AbortSignal;
  /** After each batch: `{ phase: 'importance', step: batches done, total: batches in all }` (no total for a stream of unknown length). */
  onProgress?: (event: ProgressEvent) => void;
}

/**
 * Per-parameter importance: the mean over mini-batches of reduce(∂loss_m/∂θ), one tensor
 * per trainable variable in model order. Every batch weighs the same, the last partial one
 * included, as in the reference implementations.
 */
export async function accumulateImportance(
  model: ModelAdapter,
  data: Dataset,
  options: ImportanceOptions,
): Promise<tf.Tensor[]> {
  const vars = model.trainable.map((v) => v.variable);
  const sums: tf.Tensor[] = vars.map((v) => tf.keep(tf.zerosLike(v as tf.Tensor)));
  const size = datasetSize(data);
  const total = size === undefined ? undefined : Math.ceil(size / options.batchSize);
  const tick = batchProgress('importance', options.onProgress, total);
  let batches = 0;
  try {
    for await (const batch of iterateBatches(data, options.batchSize, { signal: options.signal })) {
      tf.tidy(() => {
        const { grads } = gradientsOf(() => options.loss(model, batch), vars);
        grads.forEach((g, i) => {
          const reduced = options.reduce === 'square' ? tf.square(g) : tf.abs(g);
          const next = tf.keep(tf.add(sums[i]!, reduced));
          sums[i]!.dispose();
          sums[i] = next;
        });
      });
      batches++;
      tick?.();
    }
    if (batches === 0) throw new UnlearnError('EMPTY_DATASET', 'Cannot compute importances on an empty dataset', { field: 'x' });
    return sums.map((s) => {
      const mean = tf.div(s, batches);
      s.dispose();
      return mean;
    });
  } catch (error) {
    sums.forEach((s) => s.dispose());
    throw error;
  }
}
