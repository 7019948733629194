import type { AsDetails } from '@unlearn/core';
import type { TrainReport } from '@unlearn/retrain';

/** What a NegGrad+ run reports as `result.details`: the training run, then the weighting it used. */
export type NegGradPlusDetails = AsDetails<
  TrainReport & {
    forgetWeight: number;
    /** The retain term's weight, 1 − forgetWeight. */
    beta: number;
    /** Plain NegGrad (forgetWeight 1): ascent on the forget set alone, no retain set. */
    plain: boolean;
  }
>;
