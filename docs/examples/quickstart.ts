import type * as tf from '@tensorflow/tfjs-core';
import type { LayersModel } from '@tensorflow/tfjs-layers';
// #region usage
import { unlearn } from '@unlearn/core';
import { jit } from '@unlearn/jit';

export async function main(model: LayersModel, forgetImages: tf.Tensor) {
  const result = await unlearn(model, { forget: { x: forgetImages } }, jit());
  return result; // result.model forgot; `model` itself is unchanged
}
// #endregion usage
