import type { AsDetails } from '@unlearn/core';
import type { SalunOrder } from './options.js';

/** Mean losses of one epoch: per pass when the passes alternate (`order: 'alternate'`), else `loss`. */
export type SalunEpochSummary = {
  epoch: number;
  loss?: number;
  forgetLoss?: number;
  retainLoss?: number;
  lr: number;
};

/** What a SalUn run reports as `result.details`: the saliency mask, then the training. */
export type SalunDetails = AsDetails<{
  mask: {
    /** Weights the mask set free: ⌊fraction · total⌋. */
    selected: number;
    /** Trainable weights of the model. */
    total: number;
    fraction: number;
    /** The smallest forget-gradient magnitude among the freed weights. */
    threshold: number;
  };
  order: SalunOrder;
  epochsRun: number;
  /** Training batches over all epochs (the saliency pass not counted). */
  batches: number;
  history: SalunEpochSummary[];
  /** Forget examples relabelled each epoch. */
  relabelled: number;
  /** Classes the wrong labels were drawn from (the model's output width). */
  classes: number;
}>;
