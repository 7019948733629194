import * as tf from '@tensorflow/tfjs-core';
import { UnlearnError } from '../errors.js';

/** Labels as int32 class indices [n]; one-hot [n, C] input is reduced with argMax. */
export function toClassIndices(y: tf.Tensor, what = 'labels'): tf.Tensor1D {
  if (y.rank === 1) return (y.dtype === 'int32' ? y.clone() : tf.cast(y, 'int32')) as tf.Tensor1D;
  if (y.rank === 2) return tf.argMax(y, 1) as tf.Tensor1D;
  throw new UnlearnError(
    'SHAPE_MISMATCH',
    `${what} must be class indices of shape [n] or one-hot of shape [n, C] (got shape [${y.shape.join(', ')}])`,
  );
}
