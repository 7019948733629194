import type * as tf from '@tensorflow/tfjs-core';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import { unlearn } from '@unlearn/core';
import { salun, type SalunOptions } from '@unlearn/salun';

type Labelled = { x: tf.Tensor; y: tf.Tensor };

/** SalUn: random-label training that only moves the weights most salient to the forget loss. */
export async function main(model: LayersModel, forget: Labelled, retain: Labelled, options: Partial<SalunOptions> = {}) {
  const result = await unlearn(model, { forget, retain }, salun(options), { seed: 1 });
  const mask = result.details.mask as { selected: number; total: number };
  console.log(`trained ${mask.selected} of ${mask.total} weights (the salient ones); the rest are unchanged`);
  return result;
}
