import { defineOptions, option, type OptionsPreset } from '@unlearn/core';
import type { OptimizerName } from '@unlearn/retrain';

/** Amnesiac's options: the fine-tuning recipe run on the retain set joined with the relabelled forget set. */
export interface AmnesiacOptions {
  epochs: number;
  batchSize: number;
  optimizer: OptimizerName;
  learningRate: number;
  /** SGD momentum (PyTorch convention); ignored by Adam. */
  momentum: number;
  /** Coupled L2 penalty added to every gradient as weightDecay·θ (PyTorch's weight_decay). */
  weightDecay: number;
  /** Reshuffle the joined set every epoch (seeded). */
  shuffle: boolean;
  /** Read the loss (and check it is finite) every this many batches. */
  checkEvery: number;
  /** Threads per training step (Node), the calling one included; see @unlearn/retrain's `threads`. Default 1. */
  threads?: number;
  /** A named setting (`AMNESIAC_PRESETS`) whose values fill the unset options. */
  preset?: string;
}

const R2 = 'github.com/if-loops/selective-synaptic-dampening';

/**
 * The JiT/SSD reference repositories' `amnesiac` strategy (forget_*_strategies.py →
 * fit_one_unlearning_cycle): 3 epochs of Adam 1e-4 (torch defaults: betas 0.9/0.999, no weight
 * decay), batch 128, shuffled, on retain ∪ relabelled forget (docs/algorithms/amnesiac.md, Options and presets).
 */
export const REFERENCE_AMNESIAC_PRESET: Partial<AmnesiacOptions> = {
  epochs: 3,
  batchSize: 128,
  optimizer: 'adam',
  learningRate: 1e-4,
  momentum: 0,
  weightDecay: 0,
};

export const AMNESIAC_PRESETS: Readonly<Record<string, OptionsPreset<AmnesiacOptions>>> = {
  reference: { ...REFERENCE_AMNESIAC_PRESET, source: `${R2} forget_random_strategies.py / forget_full_class_strategies.py amnesiac (the JiT repository's strategy file is the same port)` },
};

export const DEFAULT_AMNESIAC_OPTIONS: AmnesiacOptions = {
  ...(REFERENCE_AMNESIAC_PRESET as Required<Pick<AmnesiacOptions, 'epochs' | 'batchSize' | 'optimizer' | 'learningRate' | 'momentum' | 'weightDecay'>>),
  shuffle: true,
  checkEvery: 10,
  threads: 1,
  preset: 'reference',
};

export const AMNESIAC_OPTIONS = defineOptions<AmnesiacOptions>({
  method: 'amnesiac',
  fields: {
    epochs: option.count(),
    batchSize: option.count(),
    optimizer: option.oneOf(['sgd', 'adam']),
    learningRate: option.number({ above: 0 }),
    momentum: option.number({ min: 0, below: 1 }),
    weightDecay: option.number({ min: 0 }),
    shuffle: option.boolean(),
    checkEvery: option.count(),
    threads: option.threads(),
    preset: option.oneOf(Object.keys(AMNESIAC_PRESETS)),
  },
  defaults: DEFAULT_AMNESIAC_OPTIONS,
  presets: AMNESIAC_PRESETS,
});
