import type { AsDetails } from '@unlearn/core';
import type { TrainReport } from '@unlearn/retrain';

/** What a UNSIR run reports as `result.details`: the classes, the learned noise, then both training phases. */
export type UnsirDetails = AsDetails<{
  forgottenClasses: number[];
  /** Retain examples kept as the sample both phases train on. */
  retainSample: number;
  /** Rows of the impair set: the noise copies of every class plus the retain sample. */
  impairRows: number;
  /** Per forgotten class, the noise objective (−CE + λ·‖N‖²) before its first step and after its last. */
  noise: { class: number; lossBefore: number; lossAfter: number }[];
  impair: TrainReport;
  repair: TrainReport;
}>;
