import * as tf from '@tensorflow/tfjs-core';
import { iterateBatches, shuffledIndices, toClassIndices, UnlearnError, type Dataset, type Rng } from '@unlearn/core';

/** Every row's class index, in dataset order, and the shape of one input. */
export async function readLabels(data: Dataset, signal?: AbortSignal): Promise<{ labels: Int32Array; inputShape: number[] }> {
  const parts: Int32Array[] = [];
  let inputShape: number[] = [];
  for await (const batch of iterateBatches(data, 1024, { signal })) {
    inputShape = batch.x.shape.slice(1);
    parts.push((await batch.y!.data()) as Int32Array);
  }
  const labels = new Int32Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    labels.set(p, at);
    at += p.length;
  }
  return { labels, inputShape };
}

/**
 * The forgotten classes, ascending, after checking the request is class forgetting: no class of
 * the forget set may also be in the retain set (docs/algorithms/unsir.md, What it needs).
 */
export function forgottenClasses(forget: Int32Array, retain: Int32Array): number[] {
  const classes = [...new Set(forget)].sort((a, b) => a - b);
  const counts = new Map<number, number>();
  for (const c of retain) counts.set(c, (counts.get(c) ?? 0) + 1);
  for (const c of classes) {
    const n = counts.get(c);
    if (n !== undefined) {
      throw new UnlearnError(
        'UNSUPPORTED_REQUEST',
        `unsir forgets whole classes only, but class ${c} is in the forget set and also in the retain set (${n} retain rows). ` +
          `Give every example of the classes to forget as the forget set and none of them in the retain set, ` +
          `or use a method for forgetting some examples of a class (e.g. neggrad-plus or finetune)`,
        { split: 'retain', field: 'y' },
      );
    }
  }
  return classes;
}

/**
 * Up to `perClass` rows of each class in `labels`, drawn without replacement with `rng`; returned
 * ascending (the sample's order before any shuffling).
 */
export function sampleRows(labels: Int32Array, perClass: number, rng: Rng): number[] {
  const byClass = new Map<number, number[]>();
  labels.forEach((c, i) => {
    const rows = byClass.get(c);
    if (rows) rows.push(i);
    else byClass.set(c, [i]);
  });
  const out: number[] = [];
  for (const c of [...byClass.keys()].sort((a, b) => a - b)) {
    const rows = byClass.get(c)!;
    if (rows.length <= perClass) out.push(...rows);
    else out.push(...Array.from(shuffledIndices(rows.length, rng.fork(`class-${c}`)).subarray(0, perClass), (k) => rows[k]!));
  }
  return out.sort((a, b) => a - b);
}

/** The given rows (ascending) of a labelled dataset as in-memory tensors; y as int32 class indices. */
export async function gatherRows(data: Dataset, rows: number[], signal?: AbortSignal): Promise<{ x: tf.Tensor; y: tf.Tensor1D }> {
  const xs: tf.Tensor[] = [];
  const ys: tf.Tensor[] = [];
  try {
    let offset = 0;
    let k = 0;
    for await (const batch of iterateBatches(data, 1024, { signal })) {
      const n = batch.x.shape[0]!;
      const local: number[] = [];
      while (k < rows.length && rows[k]! < offset + n) local.push(rows[k++]! - offset);
      if (local.length > 0) {
        const idx = tf.tensor1d(local, 'int32');
        xs.push(tf.gather(batch.x, idx));
        ys.push(tf.gather(batch.y!, idx));
        idx.dispose();
      }
      offset += n;
    }
    return tf.tidy(() => ({ x: tf.concat(xs), y: toClassIndices(tf.concat(ys)) }));
  } finally {
    tf.dispose([...xs, ...ys]);
  }
}
