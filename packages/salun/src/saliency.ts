import * as tf from '@tensorflow/tfjs-core';
import { batchProgress, datasetSize, gradientsOf, iterateBatches, UnlearnError, type Dataset, type ModelAdapter, type ProgressEvent } from '@unlearn/core';

/** The saliency mask, one 0/1 tensor per trainable variable (the caller disposes them). */
export interface SaliencyMask {
  masks: tf.Tensor[];
  /** Weights set free (mask 1): ⌊fraction · total⌋. */
  selected: number;
  total: number;
  /** The smallest |gradient| among the selected weights. */
  threshold: number;
}

export interface SaliencyOptions {
  fraction: number;
  batchSize: number;
  /** After each forget batch: `{ phase: 'saliency', step: batches done, total: forget batches in all }`. */
  onProgress?: (event: ProgressEvent) => void;
  signal?: AbortSignal;
}

/**
 * g = ∇θ of the mean cross-entropy over the whole forget set with its true labels, taken once at
 * the model's current weights in inference mode (the reference's model.eval()); then
 * |g| ranked over every trainable weight of the model together (not per layer), and the top
 * ⌊fraction · total⌋ set to 1 (docs/algorithms/salun.md, The math in short). Ties at the threshold
 * go to the lower flat index, so the count is exact and the mask deterministic.
 */
export async function saliencyMask(model: ModelAdapter, forget: Dataset, options: SaliencyOptions): Promise<SaliencyMask> {
  const vars = model.trainable.map((v) => v.variable);
  let sums: tf.Tensor[] = vars.map((v) => tf.zerosLike(v));
  let n = 0;
  const size = datasetSize(forget);
  const tick = batchProgress('saliency', options.onProgress, size === undefined ? undefined : Math.ceil(size / options.batchSize));
  try {
    for await (const batch of iterateBatches(forget, options.batchSize, { signal: options.signal })) {
      const grads = tf.tidy(() => {
        // Summed over the batch; divided by n at the end, so batch sizes weigh nothing.
        const { value, grads } = gradientsOf(() => {
          const logits = model.logits(batch.x, { training: false });
          return tf.sum(tf.losses.softmaxCrossEntropy(tf.oneHot(batch.y!, logits.shape[1]!), logits, undefined, undefined, tf.Reduction.NONE)) as tf.Scalar;
        }, vars);
        value.dispose();
        return grads;
      });
      const next = sums.map((s, i) => tf.add(s, grads[i]!));
      tf.dispose([...sums, ...grads]);
      sums = next;
      n += batch.x.shape[0]!;
      tick?.();
    }
    const flat = await Promise.all(sums.map(async (s) => (await s.data()) as Float32Array));
    return select(flat, sums.map((s) => s.shape), options.fraction, n);
  } finally {
    tf.dispose(sums);
  }
}

function select(sums: Float32Array[], shapes: number[][], fraction: number, n: number): SaliencyMask {
  const total = sums.reduce((t, s) => t + s.length, 0);
  const k = Math.floor(total * fraction);
  if (k === 0) {
    throw new UnlearnError('INVALID_OPTION', `salun: "fraction" ${fraction} frees no weight of this model (${total} trainable weights); give at least ${1 / total}`);
  }
  const all = new Float32Array(total);
  let at = 0;
  for (const s of sums) {
    for (let i = 0; i < s.length; i++) all[at + i] = Math.abs(s[i]! / n);
    at += s.length;
  }
  const threshold = Float32Array.from(all).sort()[total - k]!;
  let above = 0;
  for (const v of all) if (v > threshold) above++;
  let ties = k - above;
  const masks: tf.Tensor[] = [];
  at = 0;
  for (let j = 0; j < sums.length; j++) {
    const m = new Float32Array(sums[j]!.length);
    for (let i = 0; i < m.length; i++) {
      const v = all[at + i]!;
      if (v > threshold || (v === threshold && ties-- > 0)) m[i] = 1;
    }
    masks.push(tf.tensor(m, shapes[j]));
    at += m.length;
  }
  return { masks, selected: k, total, threshold };
}
