import { invalidOption, type OptionsPreset } from '@unlearn/core';
import type { FinetuneOptions, RetrainOptions } from './options.js';

export type ReferenceDataset = 'cifar10' | 'cifar20' | 'cifar100' | 'pins';
export type ReferenceModel = 'cnn' | 'vit';

// Epochs [milestones] of R1/R2's retrain (docs/algorithms/retrain.md, The reference recipes); ViT
// was not run on Pins.
const REFERENCE_EPOCHS: Record<ReferenceModel, Partial<Record<ReferenceDataset, [number, number[]]>>> = {
  cnn: { cifar100: [200, [60, 120, 160]], cifar20: [40, [15, 30, 35]], cifar10: [20, [8, 12, 16]], pins: [200, [60, 120, 160]] },
  vit: { cifar100: [8, [7]], cifar20: [9, [8]], cifar10: [8, [7]] },
};

/**
 * The reference retrain (R1/R2 `retrain` → fit_one_cycle): SGD 0.01, momentum 0.9, weight decay
 * 5e-4, one warm-up epoch, MultiStep ×0.2, head-only re-initialisation. `batchSize` is the
 * reference main's `-b` (64 full-class and sub-class, 128 random forgetting).
 */
export function referenceRetrainPreset(dataset: ReferenceDataset, model: ReferenceModel = 'cnn', batchSize = 64): Partial<RetrainOptions> {
  const row = REFERENCE_EPOCHS[model]?.[dataset];
  if (!row) throw invalidOption('retrain', 'preset', `one of the reference settings (${model} has ${Object.keys(REFERENCE_EPOCHS[model] ?? {}).join(', ')})`, `${model}/${dataset}`);
  const [epochs, milestones] = row;
  return {
    reinit: 'head',
    optimizer: 'sgd',
    learningRate: 0.01,
    momentum: 0.9,
    weightDecay: 5e-4,
    batchSize,
    epochs,
    schedule: { kind: 'multistep', milestones: [...milestones], gamma: 0.2, warmupEpochs: 1 },
  };
}

/**
 * This project's MNIST CNN: the recipe the pretrained model itself was trained with
 * (internal/mnist/model/TRAINING.md: Adam 1e-3, batch 64, 20 epochs, loss flat by epoch ~15), with
 * every layer re-initialised. These are retrain()'s defaults.
 */
export const MNIST_RETRAIN_PRESET: Partial<RetrainOptions> = {
  reinit: 'all',
  optimizer: 'adam',
  learningRate: 1e-3,
  momentum: 0,
  weightDecay: 0,
  batchSize: 64,
  epochs: 20,
  schedule: { kind: 'constant' },
};

/** The reference finetune (docs/algorithms/retrain.md, The reference recipes): finetune()'s default. */
export const REFERENCE_FINETUNE_PRESET: Partial<FinetuneOptions> = {
  optimizer: 'sgd',
  learningRate: 0.02,
  momentum: 0.9,
  weightDecay: 5e-4,
  batchSize: 64,
  epochs: 5,
  schedule: { kind: 'constant' },
};

const R1 = 'github.com/jwf40/Information-Theoretic-Unlearning';

/**
 * retrain's named settings: `mnist-cnn` (the default) and every reference setting as
 * `r1-<dataset>-<model>` (e.g. `r1-cifar100-cnn`), the same as `referenceRetrainPreset(dataset, model)`.
 */
export const RETRAIN_PRESETS: Readonly<Record<string, OptionsPreset<RetrainOptions>>> = {
  'mnist-cnn': { ...MNIST_RETRAIN_PRESET, source: 'internal/mnist/model/TRAINING.md: the recipe the MNIST CNN was trained with' },
  ...Object.fromEntries(
    (Object.keys(REFERENCE_EPOCHS) as ReferenceModel[]).flatMap((model) =>
      (Object.keys(REFERENCE_EPOCHS[model]) as ReferenceDataset[]).map((dataset) => [
        `r1-${dataset}-${model}`,
        { ...referenceRetrainPreset(dataset, model), source: `${R1} retrain (fit_one_cycle), ${dataset}, ${model}` },
      ]),
    ),
  ),
};

export const FINETUNE_PRESETS: Readonly<Record<string, OptionsPreset<FinetuneOptions>>> = {
  reference: { ...REFERENCE_FINETUNE_PRESET, source: `${R1} finetune` },
};
