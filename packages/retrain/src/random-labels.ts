import * as tf from '@tensorflow/tfjs-core';
import { isBatchSource, toClassIndices, UnlearnError, type Dataset, type ModelAdapter, type Rng, type TensorDataset } from '@unlearn/core';

/**
 * One random wrong label per example: uniform over the C − 1 classes other than the true one
 * (a draw u in [0, C − 1), shifted up by one when u ≥ y), from `rng`, so the same seed gives
 * the same labels. `labels` are class indices [n] or one-hot [n, C]; the result is int32 [n].
 * Used by the random-label methods (Amnesiac, SalUn): docs/algorithms/amnesiac.md, The math in short.
 */
export async function randomWrongLabels(labels: tf.Tensor, numClasses: number, rng: Rng): Promise<tf.Tensor1D> {
  if (!Number.isInteger(numClasses) || numClasses < 2) {
    throw new UnlearnError('UNSUPPORTED_REQUEST', `a random wrong label needs at least 2 classes (the model has ${numClasses})`);
  }
  const indices = toClassIndices(labels);
  const truth = await indices.data();
  indices.dispose();
  const wrong = new Int32Array(truth.length);
  for (let i = 0; i < truth.length; i++) {
    const u = rng.int(numClasses - 1);
    wrong[i] = u >= truth[i]! ? u + 1 : u;
  }
  return tf.tensor1d(wrong, 'int32');
}

/**
 * The number of classes the model predicts: declared by the model, else the width of its logits
 * on one example of `probe` (in memory).
 */
export function classCount(model: ModelAdapter, probe: TensorDataset): number {
  if (model.numClasses !== undefined) return model.numClasses;
  return tf.tidy(() => model.logits(tf.slice(probe.x, 0, 1), { training: false }).shape[1]!);
}

/**
 * The forget set held in memory, for methods that relabel it; a stream is refused with a clear
 * error rather than read whole behind the caller's back.
 */
export function inMemory(method: string, split: 'forget' | 'retain', data: Dataset): TensorDataset {
  if (isBatchSource(data)) {
    throw new UnlearnError(
      'UNSUPPORTED_REQUEST',
      `${method} needs the ${split} set in memory ({ x, y } tensors): it ${split === 'forget' ? 'relabels the forget examples' : 'trains on the retain set joined with the relabelled forget examples'}; a streamed ${split} set is not supported`,
      { split },
    );
  }
  return data;
}

/** `a` followed by `b`, labels as int32 class indices (the caller owns the result). */
export function labelledUnion(a: { x: tf.Tensor; y: tf.Tensor }, b: { x: tf.Tensor; y: tf.Tensor }): { x: tf.Tensor; y: tf.Tensor1D } {
  return tf.tidy(() => {
    const ya = toClassIndices(a.y);
    const yb = toClassIndices(b.y);
    return { x: tf.concat([a.x, b.x], 0), y: tf.concat([ya, yb], 0) as tf.Tensor1D };
  });
}
