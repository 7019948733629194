import type * as tf from '@tensorflow/tfjs-core';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import { unlearn } from '@unlearn/core';
import { badTeacher, type BadTeacherOptions } from '@unlearn/bad-teacher';

/**
 * Bad Teacher needs the forget and retain inputs, no labels: a randomly initialised teacher
 * supervises the forget examples, the original model a random 30% of the retain set.
 */
export async function main(model: LayersModel, forgetImages: tf.Tensor, retainImages: tf.Tensor, options: Partial<BadTeacherOptions> = {}) {
  const result = await unlearn(model, { forget: { x: forgetImages }, retain: { x: retainImages } }, badTeacher(options), { seed: 1 });
  console.log(`distilled ${result.details.forgetExamples} forget and ${result.details.retainExamples} retain examples`);
  return result;
}
