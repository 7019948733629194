import type { LayersModel } from '@tensorflow/tfjs-layers';
import { unlearn, type TensorDataset } from '@unlearn/core';
import { closeReplicaWorkers } from '@unlearn/core/node';
import { predictProbabilities } from '@unlearn/eval';
import { jit } from '@unlearn/jit';
import { retrain } from '@unlearn/retrain';

/** Both cores of a 2-core machine, in Node: JiT's noisy passes, a retrain's steps, predictions. */
export async function main(model: LayersModel, forget: TensorDataset, retain: TensorDataset, test: TensorDataset) {
  // #region threads
  // JiT splits its noisy forward passes by itself on long runs; `threads` forces the count.
  const forgotten = await unlearn(model, { forget }, jit({ threads: 2 }), { seed: 1 });
  console.log(forgotten.details.threads); // 2

  // Retrain stays on one thread unless asked: then a seeded run is reproducible per thread count.
  const retrained = await unlearn(model, { forget, retain }, retrain({ threads: 2 }), { seed: 1 });

  // The same probabilities on any number of threads; large sets use every core by default.
  const probs = await predictProbabilities(retrained.model, test.x, { threads: 2 });

  // Worker threads never keep the process alive; end them early if you like.
  await closeReplicaWorkers();
  // #endregion threads
  return { forgotten, retrained, probs };
}
