import type { LayersModel } from '@tensorflow/tfjs-layers';
import { unlearn, type TensorDataset } from '@unlearn/core';
import { scrub, type ScrubOptions } from '@unlearn/scrub';

/** SCRUB needs the forget inputs and the labelled retain set. */
export async function main(model: LayersModel, forget: TensorDataset, retain: TensorDataset, options: Partial<ScrubOptions> = {}) {
  // #region scrub
  // Full-class forgetting: the defaults. For a sub-class or random forget set: { preset: 'reference-subclass' }.
  const result = await unlearn(model, { forget, retain }, scrub(options), { seed: 1 });
  // #endregion scrub
  return result;
}

/** SCRUB+R: end at the epoch whose forget error is closest to the error on held-out forget-like data. */
export async function rewound(model: LayersModel, forget: TensorDataset, retain: TensorDataset, validation: TensorDataset, options: Partial<ScrubOptions> = {}) {
  // #region rewind
  const result = await unlearn(model, { forget, retain, validation }, scrub({ ...options, rewind: true }), { seed: 1 });
  const { rewind } = result.details as { rewind: { chosenEpoch: number; validationError: number } };
  console.log(`kept epoch ${rewind.chosenEpoch} (validation error ${rewind.validationError})`);
  // #endregion rewind
  return result;
}
