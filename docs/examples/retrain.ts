import type { LayersModel } from '@tensorflow/tfjs-layers';
import { unlearn, type TensorDataset } from '@unlearn/core';
import { finetune, retrain, type FinetuneOptions, type RetrainOptions } from '@unlearn/retrain';

/** The baselines: train from scratch on the retain set, or keep training on it. */
export async function main(
  model: LayersModel,
  forget: TensorDataset,
  retain: TensorDataset,
  options: { retrain?: Partial<RetrainOptions>; finetune?: Partial<FinetuneOptions> } = {},
) {
  // #region retrain
  const retrained = await unlearn(model, { forget, retain }, retrain({ reinit: 'all', ...options.retrain }), { seed: 1 });
  // #endregion retrain
  // #region finetune
  const finetuned = await unlearn(model, { forget, retain }, finetune(options.finetune), { seed: 1 });
  // #endregion finetune
  return { retrained, finetuned };
}
