import { defineOptions, option, type OptionsPreset, type UnlearnableModel } from '@unlearn/core';
import type { OptimizerName, Reinit } from '@unlearn/retrain';

/** Bad Teacher's options (docs/algorithms/bad-teacher.md, Options and presets). */
export interface BadTeacherOptions {
  /** Passes over the mixed set (Df plus the retain subset). */
  epochs: number;
  batchSize: number;
  optimizer: OptimizerName;
  learningRate: number;
  /** SGD momentum; ignored by Adam. */
  momentum: number;
  /** L2 penalty added to every gradient as weightDecay·θ (the reference uses none). */
  weightDecay: number;
  /** Softmax temperature of the distillation, for both teachers and the student. */
  temperature: number;
  /** Fraction of the retain set drawn (seeded, without replacement) for the competent teacher to supervise. */
  retainFraction: number;
  /** Reshuffle the mixed set every epoch (seeded). */
  shuffle: boolean;
  /** Read the loss (and check it is finite) every this many batches. */
  checkEvery: number;
  /**
   * Re-initialises the incompetent teacher instead of the built-in seeded initialiser (needed for
   * function models without `init(seed)`); called with reinit 'all'.
   */
  init?: (model: UnlearnableModel, seed: number, reinit: Reinit) => void | Promise<void>;
  /** A named setting whose values fill the unset options. */
  preset?: string;
}

const R1 = 'github.com/jwf40/Information-Theoretic-Unlearning';
const R2 = 'github.com/if-loops/selective-synaptic-dampening';

/**
 * The reference strategy files' `blindspot` (R1 and R2 forget_*_strategies.py, which call
 * blindspot_unlearner from their unlearn.py, "original implementation" of
 * github.com/vikram2000b/bad-teaching-unlearning): 1 epoch, Adam 1e-4, batch 256 (128 for ViT), T = 1,
 * a random 30% of the retain set.
 */
export const BAD_TEACHER_PRESETS = {
  reference: {
    epochs: 1,
    batchSize: 256,
    optimizer: 'adam',
    learningRate: 1e-4,
    momentum: 0,
    weightDecay: 0,
    temperature: 1,
    retainFraction: 0.3,
    source: `${R1} and ${R2}: forget_*_strategies.py blindspot() with unlearn.py blindspot_unlearner`,
  },
} as const satisfies Record<string, OptionsPreset<BadTeacherOptions>>;

/** Defaults = the reference preset. */
export const DEFAULT_BAD_TEACHER_OPTIONS: BadTeacherOptions = {
  epochs: 1,
  batchSize: 256,
  optimizer: 'adam',
  learningRate: 1e-4,
  momentum: 0,
  weightDecay: 0,
  temperature: 1,
  retainFraction: 0.3,
  shuffle: true,
  checkEvery: 10,
  preset: 'reference',
};

export const BAD_TEACHER_OPTIONS = defineOptions<BadTeacherOptions>({
  method: 'bad-teacher',
  fields: {
    epochs: option.count(),
    batchSize: option.count(),
    optimizer: option.oneOf(['adam', 'sgd']),
    learningRate: option.number({ above: 0 }),
    momentum: option.number({ min: 0, below: 1 }),
    weightDecay: option.number({ min: 0 }),
    temperature: option.number({ above: 0 }),
    retainFraction: option.number({ min: 0, max: 1 }),
    shuffle: option.boolean(),
    checkEvery: option.count(),
    init: option.func('(model, seed, reinit) => void'),
    preset: option.oneOf(Object.keys(BAD_TEACHER_PRESETS)),
  },
  defaults: DEFAULT_BAD_TEACHER_OPTIONS,
  presets: BAD_TEACHER_PRESETS,
});
