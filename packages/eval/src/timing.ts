/**
 * Speed-up of an unlearning method over retraining: retrainMs / methodMs, from the `timeMs` of
 * core's `UnlearnResult` (the unlearning step alone: validation, copying and every metric are
 * outside the timer, unlike the reference's timing; docs/evaluation.md, metrics table). Higher is better.
 */
export function speedUp(retrainMs: number, methodMs: number): number {
  if (!(retrainMs >= 0) || !(methodMs >= 0)) return Number.NaN;
  return methodMs === 0 ? Number.POSITIVE_INFINITY : retrainMs / methodMs;
}
