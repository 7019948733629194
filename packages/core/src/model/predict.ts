import * as tf from '@tensorflow/tfjs-core';
import { iterateBatches } from '../data/batches.js';
import type { Dataset } from '../data/dataset.js';
import type { ModelAdapter } from './types.js';

/** Per-sample predicted classes of a dataset, with its labels when it has them. */
export interface ClassPredictions {
  predicted: Int32Array;
  labels?: Int32Array;
}

/** The model's top-1 classes on `data`, in inference mode, a batch at a time. */
export async function predictClasses(model: ModelAdapter, data: Dataset, batchSize = 256, signal?: AbortSignal): Promise<ClassPredictions> {
  const predicted: number[] = [];
  const labels: number[] = [];
  for await (const batch of iterateBatches(data, batchSize, { signal })) {
    const classes = tf.tidy(() => tf.argMax(model.logits(batch.x, { training: false }), 1));
    predicted.push(...((await classes.data()) as Int32Array));
    classes.dispose();
    if (batch.y) labels.push(...((await batch.y.data()) as Int32Array));
  }
  return { predicted: Int32Array.from(predicted), ...(labels.length === predicted.length && labels.length > 0 ? { labels: Int32Array.from(labels) } : {}) };
}

/**
 * The fraction of `predicted` equal to `reference`, over the samples `include` keeps (all by
 * default); NaN when it keeps none.
 */
export function agreement(predicted: ArrayLike<number>, reference: ArrayLike<number>, include?: (index: number) => boolean): number {
  let hits = 0;
  let total = 0;
  for (let i = 0; i < predicted.length; i++) {
    if (include && !include(i)) continue;
    total++;
    if (predicted[i] === reference[i]) hits++;
  }
  return total === 0 ? Number.NaN : hits / total;
}

/** A dataset's labels as class indices, read a batch at a time (no forward pass); undefined without labels. */
export async function classLabels(data: Dataset, signal?: AbortSignal): Promise<Int32Array | undefined> {
  const labels: number[] = [];
  for await (const { y } of iterateBatches(data, 1024, { signal })) {
    if (!y) return undefined;
    labels.push(...((await y.data()) as Int32Array));
  }
  return Int32Array.from(labels);
}

/**
 * The class every sample belongs to, when they all belong to one: a forget set that is one whole
 * class, whose samples a utility guard must leave out (they are meant to be forgotten).
 */
export function singleClass(classes: ArrayLike<number>): number | undefined {
  if (classes.length === 0) return undefined;
  const first = classes[0]!;
  for (let i = 1; i < classes.length; i++) if (classes[i] !== first) return undefined;
  return first;
}
