import type { LayersModel } from '@tensorflow/tfjs-layers';
// #region io
import { unlearn, type ForgetRequest } from '@unlearn/core';
import { loadModel, saveModel } from '@unlearn/core/node';
import { jit } from '@unlearn/jit';

/** Load model.json + weights.bin, unlearn, and write the new model next to it (no tfjs-node needed). */
export async function main(modelDir: string, outDir: string, request: (model: LayersModel) => ForgetRequest) {
  const model = await loadModel(modelDir);
  const result = await unlearn(model, request(model), jit());
  model.dispose(); // result.model is a separate, changed copy
  await saveModel(result.model, outDir); // written to a temporary folder, then renamed into place
  return result;
}
// #endregion io
