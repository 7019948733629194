import { defineOptions, option, type OptionsPreset } from '@unlearn/core';

/** UNSIR (docs/algorithms/unsir.md): error-maximising noise, one impair epoch, one repair epoch. */
export interface UnsirOptions {
  /** Rows of the learned noise tensor per forgotten class. */
  noiseBatch: number;
  /** Adam steps that learn each class's noise. */
  noiseSteps: number;
  noiseLearningRate: number;
  /** λ of the noise's regulariser λ · mean over rows of ‖n_i‖²₂ (keeps the noise small). */
  noiseRegularization: number;
  /** How many copies of each class's noise batch go into the impair data. */
  noiseCopies: number;
  /** Retained examples per kept class, drawn with the run's seeded generator (all when fewer). */
  retainPerClass: number;
  impairEpochs: number;
  /** Adam learning rate of the impair step: the strength auto mode searches. */
  impairLearningRate: number;
  impairBatchSize: number;
  repairEpochs: number;
  repairLearningRate: number;
  repairBatchSize: number;
  /** Reshuffle the impair and repair data every epoch with seeded generators; false takes them in order. */
  shuffle: boolean;
  /** Read the training loss (and check it is finite) every this many batches. */
  checkEvery: number;
  preset?: string;
}

/**
 * The JiT reference repository's port (jwf40/Information-Theoretic-Unlearning, src/unlearn.py
 * UNSIR_noise_train / UNSIR_create_noisy_loader and src/forget_full_class_strategies.py UNSIR):
 * noise batch 32, 25 Adam steps at 0.1 with λ 0.1, 80 copies of the noise, the first 500 images of
 * each kept class, impair 1 epoch (batch 32) and repair 1 epoch (batch 128), both Adam 1e-4.
 */
const REFERENCE: OptionsPreset<UnsirOptions> = {
  noiseBatch: 32,
  noiseSteps: 25,
  noiseLearningRate: 0.1,
  noiseRegularization: 0.1,
  noiseCopies: 80,
  retainPerClass: 500,
  impairEpochs: 1,
  impairLearningRate: 1e-4,
  impairBatchSize: 32,
  repairEpochs: 1,
  repairLearningRate: 1e-4,
  repairBatchSize: 128,
  source: 'jwf40/Information-Theoretic-Unlearning src/forget_full_class_strategies.py UNSIR and src/unlearn.py (noise 32 x 25 Adam 0.1, λ 0.1, 80 copies, 500 per class, impair/repair Adam 1e-4, batches 32/128)',
};

export const UNSIR_PRESETS: Readonly<Record<string, OptionsPreset<UnsirOptions>>> = {
  reference: REFERENCE,
  /**
   * The UNSIR authors' notebook (vikram2000b/Fast-Machine-Unlearning, "Machine Unlearning.ipynb",
   * ResNet-18 on CIFAR-10): noise batch 256, 5 × 8 = 40 Adam steps at 0.1 with λ 0.1, 20 copies,
   * the first 1000 images of each kept class, impair Adam 0.02 and repair Adam 0.01, batches 256.
   */
  'unsir-notebook': {
    ...REFERENCE,
    noiseBatch: 256,
    noiseSteps: 40,
    noiseCopies: 20,
    retainPerClass: 1000,
    impairLearningRate: 0.02,
    impairBatchSize: 256,
    repairLearningRate: 0.01,
    repairBatchSize: 256,
    source: 'vikram2000b/Fast-Machine-Unlearning "Machine Unlearning.ipynb" (noise 256 x 40 Adam 0.1, λ 0.1, 20 copies, 1000 per class, impair Adam 0.02, repair Adam 0.01, batch 256)',
  },
};

const { source: _source, ...reference } = REFERENCE;

/** Defaults = the reference preset, with seeded shuffling. */
export const DEFAULT_UNSIR_OPTIONS: Partial<UnsirOptions> = { ...reference, shuffle: true, checkEvery: 10, preset: 'reference' };

const positive = { above: 0 } as const;

export const UNSIR_OPTIONS = defineOptions<UnsirOptions>({
  method: 'unsir',
  fields: {
    noiseBatch: option.count(),
    noiseSteps: option.count(),
    noiseLearningRate: option.number(positive),
    noiseRegularization: option.number({ min: 0 }),
    noiseCopies: option.count(),
    retainPerClass: option.count(),
    impairEpochs: option.count(),
    impairLearningRate: option.number(positive),
    impairBatchSize: option.count(),
    repairEpochs: option.count(),
    repairLearningRate: option.number(positive),
    repairBatchSize: option.count(),
    shuffle: option.boolean(),
    checkEvery: option.count(),
    preset: option.oneOf(Object.keys(UNSIR_PRESETS)),
  },
  defaults: DEFAULT_UNSIR_OPTIONS,
  presets: UNSIR_PRESETS,
});
