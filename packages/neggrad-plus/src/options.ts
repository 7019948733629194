import { defineOptions, option, type OptionsPreset } from '@unlearn/core';
import type { OptimizerName } from '@unlearn/retrain';

/** NegGrad+ (docs/algorithms/neggrad-plus.md): fine-tuning on β·CE(retain) − (1 − β)·CE(forget). */
export interface NegGradPlusOptions {
  /**
   * 1 − β: the weight of the gradient-ascent term on the forget batch; the retain term gets
   * β = 1 − forgetWeight. 1 is plain NegGrad (ascent on the forget set only, no retain set needed).
   * The strength auto mode searches.
   */
  forgetWeight: number;
  /** Passes over the retain set (over the forget set for plain NegGrad). */
  epochs: number;
  /** Retain examples per step. */
  batchSize: number;
  /** Forget examples per step; the forget set is cycled, reshuffled on every pass. */
  forgetBatchSize: number;
  optimizer: OptimizerName;
  learningRate: number;
  /** SGD momentum (PyTorch convention). Ignored by Adam. */
  momentum: number;
  /** Coupled L2 penalty weightDecay·θ added to every gradient, as the trainer does. */
  weightDecay: number;
  /**
   * λ of the SCRUB notebook's penalty β·(λ/2)·‖θ − θ₀‖² towards the weights the run started from
   * (0: off).
   */
  anchorDecay: number;
  /** Reshuffle the retain and forget sets with seeded generators; false takes both in order. */
  shuffle: boolean;
  /** Read the loss (and check it is finite) every this many steps. */
  checkEvery: number;
  /** Which preset fills the unset options. */
  preset?: string;
}

/**
 * The SCRUB repository's NegGrad+ (meghdadk/SCRUB, small_scale_unlearning.ipynb, "Negative
 * Gradient" cell and its run_neggrad_epoch): α = 0.95 (the retain weight, β here), 10 epochs,
 * SGD 0.01 without momentum or weight decay, retain batches of 128, forget batches of 64, and the
 * L2 pull towards the original weights with the run's --weight-decay 0.1.
 */
const SCRUB_SMALL: OptionsPreset<NegGradPlusOptions> = {
  forgetWeight: 0.05,
  epochs: 10,
  batchSize: 128,
  forgetBatchSize: 64,
  optimizer: 'sgd',
  learningRate: 0.01,
  momentum: 0,
  weightDecay: 0,
  anchorDecay: 0.1,
  source: 'meghdadk/SCRUB small_scale_unlearning.ipynb: ng_alpha 0.95, ng_epochs 10, ng_lr 0.01 (SGD), batch 128 / forget 64, l2_penalty weight_decay 0.1',
};

export const NEGGRAD_PLUS_PRESETS: Readonly<Record<string, OptionsPreset<NegGradPlusOptions>>> = {
  'scrub-small': SCRUB_SMALL,
  // Plain NegGrad is NegGrad+ with β = 0: ascent on the forget set alone, the rest of the recipe kept.
  neggrad: { ...SCRUB_SMALL, forgetWeight: 1, anchorDecay: 0, source: 'plain NegGrad (β = 0 in the SCRUB paper); the other numbers are the scrub-small preset’s' },
};

const { source: _source, ...scrubSmall } = SCRUB_SMALL;

/** Defaults = the scrub-small preset, plus seeded shuffling. */
export const DEFAULT_NEGGRAD_PLUS_OPTIONS: Partial<NegGradPlusOptions> = {
  ...scrubSmall,
  shuffle: true,
  checkEvery: 10,
  preset: 'scrub-small',
};

export const NEGGRAD_PLUS_OPTIONS = defineOptions<NegGradPlusOptions>({
  method: 'neggrad-plus',
  fields: {
    forgetWeight: option.number({ above: 0, max: 1 }),
    epochs: option.count(),
    batchSize: option.count(),
    forgetBatchSize: option.count(),
    optimizer: option.oneOf(['sgd', 'adam']),
    learningRate: option.number({ above: 0 }),
    momentum: option.number({ min: 0, below: 1 }),
    weightDecay: option.number({ min: 0 }),
    anchorDecay: option.number({ min: 0 }),
    shuffle: option.boolean(),
    checkEvery: option.count(),
    preset: option.oneOf(Object.keys(NEGGRAD_PLUS_PRESETS)),
  },
  defaults: DEFAULT_NEGGRAD_PLUS_OPTIONS,
  presets: NEGGRAD_PLUS_PRESETS,
});
