import type * as tf from '@tensorflow/tfjs-core';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import { unlearn } from '@unlearn/core';
import { amnesiac, type AmnesiacOptions } from '@unlearn/amnesiac';

type Labelled = { x: tf.Tensor; y: tf.Tensor };

/** Amnesiac: the forget rows get random wrong labels, then the model trains on them with the retain set. */
export async function main(model: LayersModel, forget: Labelled, retain: Labelled, options: Partial<AmnesiacOptions> = {}) {
  const result = await unlearn(model, { forget, retain }, amnesiac(options), { seed: 1 });
  console.log(`relabelled ${result.details.relabelled} forget rows, trained ${result.details.epochsRun} epochs`);
  return result;
}
