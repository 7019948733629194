import type { LayersModel } from '@tensorflow/tfjs-layers';
import { isUnlearnError, unlearn, type TensorDataset } from '@unlearn/core';
import { unsir, type UnsirOptions } from '@unlearn/unsir';

/** UNSIR forgets whole classes: every example of them in `forget`, none in the labelled `retain`. */
export async function main(model: LayersModel, forget: TensorDataset, retain: TensorDataset, options: Partial<UnsirOptions> = {}) {
  // #region unsir
  try {
    const result = await unlearn(model, { forget, retain }, unsir(options), { seed: 1 });
    const { forgottenClasses, retainSample } = result.details as { forgottenClasses: number[]; retainSample: number };
    console.log(`forgot classes ${forgottenClasses.join(', ')} (retain sample: ${retainSample} rows)`);
    return result;
  } catch (error) {
    // A forget set that is not whole classes (a class also in the retain set) is refused up front.
    if (isUnlearnError(error, 'UNSUPPORTED_REQUEST')) console.log(error.message);
    throw error;
  }
  // #endregion unsir
}
