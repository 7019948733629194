import type { AsDetails } from '@unlearn/core';
import type { Reinit } from './options.js';
import type { TrainReport } from './trainer.js';

/** What a finetune run reports as `result.details`: the training run. */
export type FinetuneDetails = AsDetails<TrainReport>;

/** What a retrain run reports as `result.details`: the re-initialisation, then the training run. */
export type RetrainDetails = AsDetails<
  TrainReport & {
    reinit: Reinit;
    /** The variables re-initialised, by name. */
    reinitialised: string[];
  }
>;
