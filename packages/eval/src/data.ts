import * as tf from '@tensorflow/tfjs-core';
import { UnlearnError } from '@unlearn/core';

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

/** Class indices of `data.y` as plain integers (one-hot rows are reduced with argmax). */
export async function readLabels(data: LabelledData, what: string): Promise<Int32Array> {
  const { x, y } = data;
  if (!x || !y) throw new UnlearnError('MISSING_LABELS', `${what} needs inputs and labels ({ x, y })`);
  if (y.rank !== 1 && y.rank !== 2) {
    throw new UnlearnError('SHAPE_MISMATCH', `${what}.y must have shape [n] or [n, C] (got [${y.shape.join(', ')}])`);
  }
  if (y.shape[0] !== x.shape[0]) {
    throw new UnlearnError('SHAPE_MISMATCH', `${what}.y has ${y.shape[0]} labels for ${x.shape[0]} inputs`);
  }
  const indices = y.rank === 2 ? tf.argMax(y, 1) : y;
  const values = await indices.data();
  if (indices !== y) indices.dispose();
  const out = new Int32Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const v = values[i] as number;
    if (!Number.isInteger(v) || v < 0) {
      throw new UnlearnError('LABEL_OUT_OF_RANGE', `${what}.y[${i}] = ${v} is not a class index (a non-negative integer)`);
    }
    out[i] = v;
  }
  return out;
}
