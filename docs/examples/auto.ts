import type { LayersModel } from '@tensorflow/tfjs-layers';
import { autoUnlearn, type TensorDataset } from '@unlearn/core';
import { jit } from '@unlearn/jit';
import { ssd } from '@unlearn/ssd';

/** SSD in auto mode: the forget set with labels, the training set, and a labelled validation set as the guard. */
export async function withGuard(model: LayersModel, forget: TensorDataset, train: TensorDataset, validation: TensorDataset) {
  // #region auto
  const found = await autoUnlearn(model, { forget, train, validation }, ssd(), {
    maxRetainDrop: 0.02, // reject trials that cost the kept classes more than 2 points
    maxTrials: 10,
  });
  console.log(found.reason);
  console.table(found.trials); // strength, forget accuracy, kept-class accuracy, time, per trial
  if (!found.satisfied) {
    // Nothing met the target within the guard: do not record this as a completed deletion.
    found.result?.model.dispose();
    throw new Error(`not forgotten: ${found.reason}`);
  }
  const unlearned = found.result!.model; // a new model; `model` is untouched
  // #endregion auto
  return { found, unlearned };
}

/** JiT with nothing but the forget inputs: the target is measured against the original model's predictions. */
export async function zeroShot(model: LayersModel, forgetInputs: TensorDataset['x']) {
  // #region zero-shot
  const found = await autoUnlearn(model, { forget: { x: forgetInputs } }, jit(), { maxTrials: 8 });
  // found.target.against === 'original-predictions'; without a guard the weakest lr that met the target is kept
  // #endregion zero-shot
  return found;
}
