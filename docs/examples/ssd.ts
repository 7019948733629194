import type { LayersModel } from '@tensorflow/tfjs-layers';
import { unlearn, type TensorDataset } from '@unlearn/core';
import { computeImportances, disposeImportances, ssd, type SsdOptions } from '@unlearn/ssd';

/**
 * SSD needs labelled forget data and the labelled training set it came from (which contains
 * the forget set), or training-set importances computed once beforehand.
 */
export async function oneOff(model: LayersModel, forget: TensorDataset, train: TensorDataset, options: Partial<SsdOptions> = {}) {
  // #region one-off
  const result = await unlearn(model, { forget, train }, ssd(options));
  // #endregion one-off
  return result;
}

export async function withCache(model: LayersModel, forget: TensorDataset, train: TensorDataset, options: Partial<SsdOptions> = {}) {
  // #region cached
  // The training-set pass dominates the cost and does not depend on the request: do it once.
  const importances = await computeImportances(model, train, { kind: 'fisher', batchSize: options.batchSize ?? 64 });
  try {
    return await unlearn(model, { forget, importances }, ssd(options));
  } finally {
    disposeImportances(importances);
  }
  // #endregion cached
}

export async function guarded(model: LayersModel, forget: TensorDataset, train: TensorDataset, options: Partial<SsdOptions> = {}) {
  // #region guard
  // Refuse (and keep the model unchanged) if validation accuracy falls by more than 5 points.
  const result = await unlearn(
    model,
    { forget, train, validation: train },
    ssd({ ...options, guard: { maxAccuracyDrop: 0.05, action: 'refuse' } }),
  );
  // #endregion guard
  return result;
}
