import { agreementCounts, predictClasses, requireLabels, UnlearnError, type Dataset, type ModelAdapter, type UnlearnContext } from '@unlearn/core';

/** Checks SCRUB+R's data before any work: labelled forget and validation sets. */
export function rewindData(ctx: UnlearnContext): Dataset {
  const validation = ctx.request.validation;
  if (!validation) {
    throw new UnlearnError('MISSING_DATA', 'scrub: rewind (SCRUB+R) needs request.validation, held-out examples from the forget set\'s distribution', {
      split: 'validation',
      field: 'x',
    });
  }
  requireLabels(validation, { method: 'scrub', split: 'validation', why: 'rewind (SCRUB+R) measures its error' });
  requireLabels(ctx.request.forget, { method: 'scrub', split: 'forget', why: 'rewind (SCRUB+R) measures its error' });
  return validation;
}

/** Fraction of `data` the model misclassifies, in inference mode, by core's predictor. */
export async function errorRate(model: ModelAdapter, data: Dataset, batchSize: number, signal?: AbortSignal): Promise<number> {
  const { predicted, labels } = await predictClasses(model, data, batchSize, signal);
  const { hits, total } = agreementCounts(predicted, labels!);
  return (total - hits) / total;
}

/**
 * SCRUB+R's choice (docs/algorithms/scrub.md, SCRUB+R): the epoch whose forget error is closest
 * to `target`, the final model's validation error; a tie goes to the later epoch, which has had
 * more min-steps.
 */
export function closestEpoch(forgetErrors: readonly number[], target: number): number {
  let best = 0;
  forgetErrors.forEach((e, i) => {
    if (Math.abs(e - target) <= Math.abs(forgetErrors[best]! - target)) best = i;
  });
  return best;
}
