import type * as tf from '@tensorflow/tfjs-core';
import { checkLabelCount, checkLabels, toClassIndices, UnlearnError } from '@unlearn/core';

/** A labelled set held in memory: `x` is [n, ...inputShape], `y` holds [n] class indices or [n, C] one-hot. */
export interface LabelledData {
  x: tf.Tensor;
  y: tf.Tensor;
}

/** The train set the model was fitted on and a held-out test set. */
export interface EvalData {
  train: LabelledData;
  test: LabelledData;
}

/**
 * Class indices of `data.y` as plain integers (one-hot rows are reduced with argmax), after core's
 * label rules. `what` is `<caller>: <split>` or `<split>`; errors carry the split.
 */
export async function readLabels(data: LabelledData, what: string): Promise<Int32Array> {
  const cut = what.lastIndexOf(': ');
  const where = cut < 0 ? { split: what } : { method: what.slice(0, cut), split: what.slice(cut + 2) };
  const { x, y } = data;
  if (!x || !y) {
    throw new UnlearnError('MISSING_LABELS', `${what} needs inputs and labels ({ x, y })`, { split: where.split, field: x ? 'y' : 'x' });
  }
  // Without a model the class count is unknown: indices must be non-negative integers, one-hot rows valid.
  await checkLabels({}, y, where);
  checkLabelCount(y.shape[0]!, x.shape[0]!, where);
  const indices = toClassIndices(y);
  const values = await indices.data();
  indices.dispose();
  return Int32Array.from(values);
}
