import { registerUnlearner } from '@unlearn/core';
import { finetune } from './finetune.js';
import type { FinetuneDetails, RetrainDetails } from './details.js';
import type { FinetuneOptions, RetrainOptions } from './options.js';
import { FINETUNE_OPTIONS, RETRAIN_OPTIONS } from './options-schema.js';
import { retrain } from './retrain.js';

export { retrain } from './retrain.js';
export { finetune } from './finetune.js';
export { reinitialize } from './reinit.js';
export type { ReinitializeOptions } from './reinit.js';
export { learningRateAt } from './schedule.js';
export { DEFAULT_FINETUNE_OPTIONS, DEFAULT_RETRAIN_OPTIONS } from './options.js';
export type { FinetuneOptions, LrSchedule, OptimizerName, Reinit, RetrainOptions, TrainOptions } from './options.js';
export { FINETUNE_OPTIONS, RETRAIN_OPTIONS } from './options-schema.js';
export { FINETUNE_PRESETS, MNIST_RETRAIN_PRESET, REFERENCE_FINETUNE_PRESET, referenceRetrainPreset, RETRAIN_PRESETS } from './presets.js';
export type { ReferenceDataset, ReferenceModel } from './presets.js';
export { CHECKPOINT_FORMAT } from './checkpoint.js';
export type { Checkpoint, CheckpointMeta, CheckpointStore, EpochRecord } from './checkpoint.js';
export { retainSet, trainLoop, trainOnRetain } from './trainer.js';
export type { BatchGradients, TrainPlan, TrainReport } from './trainer.js';
export type { FinetuneDetails, RetrainDetails } from './details.js';
export { createOptimizer } from './optimizer.js';
export type { RecipeOptimizer } from './optimizer.js';
export { recipeOf } from './options.js';
export { loopOptions } from './loop-options.js';
export type { LoopRecipe } from './loop-options.js';
export { distillationLoss, softTargets } from './distillation.js';
export type { DistillationOptions, DistillationReduction } from './distillation.js';
export { classCount, inMemory, labelledUnion, randomWrongLabels } from './random-labels.js';

declare module '@unlearn/core' {
  interface UnlearnerRegistry {
    retrain: RetrainOptions;
    finetune: FinetuneOptions;
  }
  interface UnlearnerDetailsRegistry {
    retrain: RetrainDetails;
    finetune: FinetuneDetails;
  }
}

registerUnlearner('retrain', retrain, {
  description: 'Gold standard: re-initialise (seeded) and train on the retain set only',
  schema: RETRAIN_OPTIONS,
  source: '@unlearn/retrain',
});
registerUnlearner('finetune', finetune, {
  description: 'Baseline: keep training the model on the retain set',
  schema: FINETUNE_OPTIONS,
  source: '@unlearn/retrain',
});
