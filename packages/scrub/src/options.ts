import { defineOptions, isNumberIn, option, type OptionsPreset } from '@unlearn/core';
import type { OptimizerName } from '@unlearn/retrain';

/** SCRUB's options (docs/algorithms/scrub.md, Options and presets). */
export interface ScrubOptions {
  /** Epochs; each ends with a min-step pass over the retain set. */
  epochs: number;
  /** The first `maxSteps` epochs start with a max-step pass over the forget set (SCRUB's msteps). */
  maxSteps: number;
  /** Weight α of KL(teacher ‖ student) in the min-steps. */
  alpha: number;
  /** Weight γ of the cross-entropy with the retain labels in the min-steps. */
  gamma: number;
  /** Softmax temperature T of the distillation (the KL is multiplied by T², as RepDistiller's DistillKL). */
  temperature: number;
  /** Batch size of the min-steps on the retain set. */
  batchSize: number;
  /** Batch size of the max-steps on the forget set. */
  forgetBatchSize: number;
  optimizer: OptimizerName;
  learningRate: number;
  /** SGD momentum; ignored by Adam. */
  momentum: number;
  /**
   * Rescale each step's gradient to at most this L2 norm (over all variables together, before weight
   * decay, as PyTorch's clip_grad_norm_); 0 = no clipping. The reference's full-class port clips at 1.
   */
  clipGradNorm: number;
  /** L2 penalty added to every gradient as weightDecay·θ, in both phases (PyTorch's coupled weight_decay). */
  weightDecay: number;
  /** The learning rate is multiplied by `lrDecayRate` once for every entry m with epoch > m (epochs counted from 1). */
  lrDecayEpochs: number[];
  lrDecayRate: number;
  /** Reshuffle both sets every epoch (seeded). */
  shuffle: boolean;
  /** Read the loss (and check it is finite) every this many batches. */
  checkEvery: number;
  /**
   * SCRUB+R: keep the weights after every epoch and end with those whose forget-set error is
   * closest to the final model's error on `request.validation` (held-out data from the forget
   * set's distribution). Needs labels on the forget and validation sets.
   */
  rewind: boolean;
  /** A named setting whose values fill the unset options. */
  preset?: string;
}

const R1 = 'github.com/jwf40/Information-Theoretic-Unlearning';

const R1_COMMON = {
  epochs: 3,
  maxSteps: 2,
  temperature: 4,
  batchSize: 128,
  forgetBatchSize: 128,
  optimizer: 'sgd',
  learningRate: 5e-4,
  momentum: 0.9,
  weightDecay: 5e-4,
  lrDecayEpochs: [5, 8, 9],
  lrDecayRate: 0.1,
} as const;

/**
 * The JiT reference repository's SCRUB port (R1 forget_*_strategies.py `scrub`, its loaders of
 * batch 128): 3 epochs, 2 of them with max-steps, T 4, SGD 5e-4 with momentum 0.9 and weight
 * decay 5e-4; (α, γ) = (0.001, 0.99) for full-class forgetting (the function's defaults), whose
 * file also clips the gradient norm at 1, and (1, 5) as its sub-class and random-forgetting main
 * files pass them to strategy files that do not clip.
 */
export const SCRUB_PRESETS = {
  reference: {
    ...R1_COMMON,
    lrDecayEpochs: [5, 8, 9],
    alpha: 0.001,
    gamma: 0.99,
    clipGradNorm: 1,
    source: `${R1} src/forget_full_class_strategies.py scrub() defaults and train_distill (clip_grad_norm_ 1)`,
  },
  'reference-subclass': {
    ...R1_COMMON,
    lrDecayEpochs: [5, 8, 9],
    alpha: 1,
    gamma: 5,
    clipGradNorm: 0,
    source: `${R1} forget_subclass_main.py and forget_random_main.py (scrub_alpha 1, scrub_gamma 5); code/forget_random_strategies.py train_distill (no clipping)`,
  },
} as const satisfies Record<string, OptionsPreset<ScrubOptions>>;

/** Defaults = the full-class reference preset. */
export const DEFAULT_SCRUB_OPTIONS: ScrubOptions = {
  ...R1_COMMON,
  lrDecayEpochs: [5, 8, 9],
  alpha: 0.001,
  gamma: 0.99,
  clipGradNorm: 1,
  shuffle: true,
  checkEvery: 10,
  rewind: false,
  preset: 'reference',
};

export const SCRUB_OPTIONS = defineOptions<ScrubOptions>({
  method: 'scrub',
  fields: {
    epochs: option.count(),
    maxSteps: option.count(0),
    alpha: option.number({ min: 0 }),
    gamma: option.number({ min: 0 }),
    temperature: option.number({ above: 0 }),
    batchSize: option.count(),
    forgetBatchSize: option.count(),
    optimizer: option.oneOf(['sgd', 'adam']),
    learningRate: option.number({ above: 0 }),
    momentum: option.number({ min: 0, below: 1 }),
    clipGradNorm: option.number({ min: 0 }),
    weightDecay: option.number({ min: 0 }),
    lrDecayEpochs: option.custom<number[]>({
      requirement: 'an array of epoch numbers >= 0',
      check: (v) => Array.isArray(v) && v.every((m) => isNumberIn(m, { integer: true, min: 0 })),
    }),
    lrDecayRate: option.number({ above: 0 }),
    shuffle: option.boolean(),
    checkEvery: option.count(),
    rewind: option.boolean(),
    preset: option.oneOf(Object.keys(SCRUB_PRESETS)),
  },
  defaults: DEFAULT_SCRUB_OPTIONS,
  presets: SCRUB_PRESETS,
  refine: (o) =>
    o.maxSteps > o.epochs ? { option: 'maxSteps', requirement: `at most epochs (${o.epochs}): every max-step epoch also has its min-steps`, value: o.maxSteps } : undefined,
});

/** The learning rate of epoch `epoch` (counted from 1), as the reference's sgda_adjust_learning_rate. */
export function learningRateOfEpoch(options: Pick<ScrubOptions, 'learningRate' | 'lrDecayEpochs' | 'lrDecayRate'>, epoch: number): number {
  const steps = options.lrDecayEpochs.filter((m) => epoch > m).length;
  return options.learningRate * options.lrDecayRate ** steps;
}
