import { defineOptions, option } from '@unlearn/core';

export interface GradientAscentOptions {
  /** Step size of each ascent step on the forget set's cross-entropy. */
  lr: number;
  /** Passes over the forget set. */
  epochs: number;
  /** Forget samples per step. */
  batchSize: number;
  /**
   * Stop once a batch's cross-entropy exceeds this. Ascent has no natural end: without a
   * ceiling it keeps pushing until the weights overflow and the runner rejects the result.
   */
  maxLoss: number;
}

export const GRADIENT_ASCENT_DEFAULTS: GradientAscentOptions = { lr: 0.01, epochs: 1, batchSize: 32, maxLoss: 5 };

/** Defaults, validation, the record's JSON form and `--set` parsing, from core's schema helper. */
export const GRADIENT_ASCENT_OPTIONS = defineOptions<GradientAscentOptions>({
  method: 'gradient-ascent',
  fields: {
    lr: option.number({ above: 0 }),
    epochs: option.count(),
    batchSize: option.count(),
    maxLoss: option.number({ above: 0 }),
  },
  defaults: GRADIENT_ASCENT_DEFAULTS,
});
