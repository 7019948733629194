import type { AsDetails } from '@unlearn/core';
import type { TrainReport } from '@unlearn/retrain';

/** What a Bad Teacher run reports as `result.details`: the distillation set, then the training run. */
export type BadTeacherDetails = AsDetails<
  TrainReport & {
    forgetExamples: number;
    /** Retain examples the competent teacher supervised (the `retainFraction` sample). */
    retainExamples: number;
    /** Size of the whole retain set the sample was drawn from. */
    retainSize: number;
    /** Variables of the incompetent teacher that were re-drawn (null when its weights were injected). */
    reinitializedVariables: number | null;
  }
>;
