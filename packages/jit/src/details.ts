import type { AsDetails } from '@unlearn/core';

/** What a JiT run reports as `result.details`. */
export type JitDetails = AsDetails<{
  /** Each step's JiT loss (the batch's Monte-Carlo Lipschitz estimate, before the step), in order. */
  losses: number[];
  /** SGD steps taken, one per non-empty forget batch and epoch. */
  steps: number;
  epochs: number;
  /** The σ the noise used, in input units (`sigma: 'auto'` resolved). */
  sigma: number;
  /** With `sigma: 'auto'` only: the forget inputs' standard deviation σ was scaled from. */
  inputStd?: number;
  /** Batch-level forward passes: steps × (nSamples + 1). */
  forwardPasses: number;
  /** Threads the noisy forward passes were split between, the calling one included. */
  threads: number;
  /** Why fewer threads than asked for were used, when that is the case. */
  threadsNote?: string;
}>;
