import type * as tf from '@tensorflow/tfjs-core';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import { unlearn } from '@unlearn/core';
import { lfSsd, type LfSsdOptions } from '@unlearn/lf-ssd';

/** LF-SSD is SSD without labels: unlabelled forget inputs and unlabelled training inputs. */
export async function main(model: LayersModel, forgetImages: tf.Tensor, trainImages: tf.Tensor, options: Partial<LfSsdOptions> = {}) {
  const result = await unlearn(model, { forget: { x: forgetImages }, train: { x: trainImages } }, lfSsd(options));
  console.log(`dampened ${result.details.selected} of ${result.details.parameters} parameters`);
  return result;
}
