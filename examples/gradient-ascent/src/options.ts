import { invalidOption } from '@unlearn/core';

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

export function resolveOptions(options: Partial<GradientAscentOptions> = {}): GradientAscentOptions {
  const given = Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined));
  return { ...GRADIENT_ASCENT_DEFAULTS, ...given };
}

const positive = (v: unknown) => typeof v === 'number' && Number.isFinite(v) && v > 0;
const count = (v: unknown) => typeof v === 'number' && Number.isInteger(v) && v >= 1;

export function validateOptions(o: GradientAscentOptions): void {
  if (!positive(o.lr)) throw invalidOption('gradient-ascent', 'lr', 'a finite number > 0', o.lr);
  if (!count(o.epochs)) throw invalidOption('gradient-ascent', 'epochs', 'an integer >= 1', o.epochs);
  if (!count(o.batchSize)) throw invalidOption('gradient-ascent', 'batchSize', 'an integer >= 1', o.batchSize);
  if (!positive(o.maxLoss)) throw invalidOption('gradient-ascent', 'maxLoss', 'a finite number > 0', o.maxLoss);
}
