import type * as tf from '@tensorflow/tfjs-core';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import { unlearn } from '@unlearn/core';
import { jit, type JitOptions } from '@unlearn/jit';

/** JiT needs the model and the forget inputs only: no labels, no retain or training data. */
export async function main(model: LayersModel, forgetImages: tf.Tensor, options: Partial<JitOptions> = { preset: 'mnist-cnn' }) {
  const controller = new AbortController();
  const result = await unlearn(model, { forget: { x: forgetImages } }, jit(options), {
    seed: 42, // the noise draws; the same seed gives the same weights
    signal: controller.signal, // controller.abort() stops between steps and leaves `model` as it was
    onProgress: (e) => console.log(`${e.phase} step ${e.step}/${e.total}: loss ${e.metrics?.loss?.toFixed(3)}`),
  });
  console.log(`${result.details.steps} SGD steps in ${result.timeMs.toFixed(0)} ms on ${result.backend}`);
  return result;
}
