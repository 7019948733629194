import type { LayersModel } from '@tensorflow/tfjs-layers';
import { unlearn, type TensorDataset } from '@unlearn/core';
import { negGradPlus, type NegGradPlusOptions } from '@unlearn/neggrad-plus';

/** NegGrad+ needs the labelled forget set and the labelled retain set. */
export async function main(model: LayersModel, forget: TensorDataset, retain: TensorDataset, options: Partial<NegGradPlusOptions> = {}) {
  // #region neggrad-plus
  // forgetWeight is 1 − β: 0.05 (β 0.95) by default; raise it to forget harder.
  const result = await unlearn(model, { forget, retain }, negGradPlus(options), { seed: 1 });
  // #endregion neggrad-plus
  return result;
}

/** Plain NegGrad: gradient ascent on the forget set alone (β = 0), no retain set. */
export async function plain(model: LayersModel, forget: TensorDataset, options: Partial<NegGradPlusOptions> = {}) {
  // #region neggrad
  const result = await unlearn(model, { forget }, negGradPlus({ preset: 'neggrad', ...options }), { seed: 1 });
  // #endregion neggrad
  return result;
}
