import type { AsDetails } from '@unlearn/core';
import type { TrainReport } from '@unlearn/retrain';

/** What an Amnesiac run reports as `result.details`: the training run, then the relabelling. */
export type AmnesiacDetails = AsDetails<
  TrainReport & {
    /** Forget examples given a random wrong label. */
    relabelled: number;
    /** Retain examples trained on alongside them. */
    retained: number;
    /** Classes the wrong labels were drawn from (the model's output width). */
    classes: number;
  }
>;
