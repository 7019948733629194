/**
 * What a run reports as `result.details`. A `type` alias, not an `interface`: details must fit
 * core's `Record<string, unknown>`, and only an alias has the implicit index signature for that.
 */
export type GradientAscentDetails = {
  /** Ascent steps taken, one per batch. */
  steps: number;
  /** Each step's batch cross-entropy, before the step. */
  losses: number[];
  /** A batch's loss passed `maxLoss`, so the ascent stopped before its last epoch ended. */
  stoppedEarly: boolean;
};
