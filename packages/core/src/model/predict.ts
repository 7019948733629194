import * as tf from '@tensorflow/tfjs-core';
import { iterateBatches } from '../data/batches.js';
import type { Batch, Dataset } from '../data/dataset.js';
import { UnlearnError } from '../errors.js';
import type { ModelAdapter } from './types.js';

/** Options of the shared forward pass. */
export interface ForwardOptions {
  /** Rows per forward pass (default 256); it changes speed only, never a sample's output. */
  batchSize?: number;
  signal?: AbortSignal;
  /** What the model gives: logits (default) or softmax probabilities. */
  output?: 'logits' | 'probabilities';
}

/** One batch of the forward pass: its rows, labels (as class indices) and the model's outputs. */
export interface ForwardBatch extends Batch {
  output: tf.Tensor;
}

/**
 * The model on `data`, in inference mode, a batch at a time: the one chunked forward pass that
 * every prediction and accuracy goes through. A batch's tensors are disposed when the consumer
 * asks for the next one (or leaves the loop).
 */
export async function* forwardBatches(model: ModelAdapter, data: Dataset, options: ForwardOptions = {}): AsyncGenerator<ForwardBatch, void, undefined> {
  const { batchSize = 256, signal, output = 'logits' } = options;
  for await (const batch of iterateBatches(data, batchSize, { signal })) {
    const out = tf.tidy(() => (output === 'logits' ? model.logits(batch.x, { training: false }) : model.probabilities(batch.x, { training: false })));
    try {
      yield { ...batch, output: out };
    } finally {
      out.dispose();
    }
  }
}

/**
 * Top-1 classes of row-major outputs (logits or probabilities) over `classes` classes: the one
 * argmax every accuracy uses; the first maximum wins a tie, as in `tf.argMax`.
 */
export function topClasses(values: ArrayLike<number>, classes: number): Int32Array {
  const out = new Int32Array(classes > 0 ? Math.floor(values.length / classes) : 0);
  for (let i = 0; i < out.length; i++) {
    let best = 0;
    let bestValue = values[i * classes]!;
    for (let k = 1; k < classes; k++) {
      const v = values[i * classes + k]!;
      if (v > bestValue) {
        bestValue = v;
        best = k;
      }
    }
    out[i] = best;
  }
  return out;
}

/** Per-sample predicted classes of a dataset, with its labels when it has them. */
export interface ClassPredictions {
  predicted: Int32Array;
  labels?: Int32Array;
}

/** The model's top-1 classes on `data`, in inference mode, a batch at a time. */
export async function predictClasses(model: ModelAdapter, data: Dataset, batchSize = 256, signal?: AbortSignal): Promise<ClassPredictions> {
  const predictions = new ClassCollector();
  for await (const batch of forwardBatches(model, data, { batchSize, signal })) await predictions.add(batch);
  return predictions.result();
}

/** Gathers the top-1 classes (and labels) of forward batches, for a loop that reads more of each batch. */
export class ClassCollector {
  private readonly predicted: number[] = [];
  private readonly labels: number[] = [];

  async add(batch: ForwardBatch): Promise<void> {
    this.predicted.push(...topClasses(await batch.output.data(), batch.output.shape[1]!));
    if (batch.y) this.labels.push(...((await batch.y.data()) as Int32Array));
  }

  result(): ClassPredictions {
    const { predicted, labels } = this;
    return { predicted: Int32Array.from(predicted), ...(labels.length === predicted.length && labels.length > 0 ? { labels: Int32Array.from(labels) } : {}) };
  }
}

/** How many of the samples `include` keeps (all by default) have `predicted` equal to `reference`. */
export function agreementCounts(
  predicted: ArrayLike<number>,
  reference: ArrayLike<number>,
  include?: (index: number) => boolean,
): { hits: number; total: number } {
  let hits = 0;
  let total = 0;
  for (let i = 0; i < predicted.length; i++) {
    if (include && !include(i)) continue;
    total++;
    if (predicted[i] === reference[i]) hits++;
  }
  return { hits, total };
}

/**
 * The fraction of `predicted` equal to `reference`, over the samples `include` keeps (all by
 * default); NaN when it keeps none.
 */
export function agreement(predicted: ArrayLike<number>, reference: ArrayLike<number>, include?: (index: number) => boolean): number {
  const { hits, total } = agreementCounts(predicted, reference, include);
  return total === 0 ? Number.NaN : hits / total;
}

/**
 * Sample-weighted top-1 accuracy in [0, 1], in inference mode: (1/n) Σᵢ [argmaxₖ f(xᵢ)ₖ = yᵢ]
 * (docs/evaluation.md); NaN for an empty set. `data` needs labels.
 */
export async function topOneAccuracy(model: ModelAdapter, data: Dataset, options: Omit<ForwardOptions, 'output'> = {}): Promise<number> {
  const { predicted, labels } = await predictClasses(model, data, options.batchSize, options.signal);
  if (labels) return agreement(predicted, labels);
  if (predicted.length === 0) return Number.NaN;
  // No split: this is a direct call on data of the caller's, which names no set.
  throw new UnlearnError('MISSING_LABELS', 'topOneAccuracy: the data has no labels (give y)', { field: 'y' });
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
