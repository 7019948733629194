import {
  agreement,
  checkedBatches,
  classLabels,
  isBatchSource,
  predictClasses,
  requireLabels,
  singleClass,
  UnlearnError,
  validateDataset,
  type Dataset,
  type ModelAdapter,
} from '@unlearn/core';

/**
 * Utility-collapse guard: SSD at its default strength has been reported to drop retain accuracy
 * to 12-18% on some models (docs/algorithms/ssd.md, Guarding against utility collapse), and nothing
 * else in the method would notice.
 */
export interface GuardOptions {
  /** Labelled held-out data; defaults to `request.validation`. */
  validation?: Dataset;
  /** Largest tolerated fall in validation accuracy, as a fraction (0.1 = 10 points). */
  maxAccuracyDrop: number;
  /** 'report' warns and keeps the result; 'refuse' throws UTILITY_COLLAPSE and the runner restores the model. */
  action: 'report' | 'refuse';
}

export interface GuardReport {
  accuracyBefore: number;
  accuracyAfter: number;
  drop: number;
  maxAccuracyDrop: number;
  action: 'report' | 'refuse';
  exceeded: boolean;
  /** Classes left out of the accuracy: the forget set's class when it is one whole class. */
  excludedClasses: number[];
}

/**
 * Top-1 accuracy in inference mode, by core's predictor, over the samples whose label is not in
 * `exclude` (the class being forgotten: losing it is the point, not a collapse).
 */
export async function accuracyOn(model: ModelAdapter, data: Dataset, batchSize = 256, exclude: readonly number[] = []): Promise<number> {
  const { predicted, labels } = await predictClasses(model, data, batchSize);
  const accuracy = agreement(predicted, labels!, (i) => !exclude.includes(labels![i]!));
  if (Number.isNaN(accuracy)) {
    throw new UnlearnError('EMPTY_DATASET', `The guard validation set has no samples${exclude.length ? ` outside the forgotten class ${exclude.join(', ')}` : ''}`, {
      split: 'validation',
      field: 'x',
    });
  }
  return accuracy;
}

/** The forget set's class when it is one whole class (from its labels), which the guard leaves out. */
export async function forgottenClasses(forget: Dataset): Promise<number[]> {
  const only = singleClass((await classLabels(forget)) ?? []);
  return only === undefined ? [] : [only];
}

/** Resolves and checks the guard's data before any weight changes. */
export async function guardData(method: string, model: ModelAdapter, guard: GuardOptions, fallback: Dataset | undefined): Promise<Dataset> {
  const data = guard.validation ?? fallback;
  if (!data) {
    throw new UnlearnError(
      'MISSING_DATA',
      `${method}: option "guard" needs labelled validation data (guard.validation or request.validation)`,
      { split: 'validation', field: 'x' },
    );
  }
  // The labels once, saying why: the method itself may need none.
  requireLabels(data, { method, split: 'validation', why: 'the guard measures accuracy on it' });
  await validateDataset(model, data, { method, split: 'validation', labelsRequired: false });
  // guard.validation is no part of the request, so the runner has not wrapped a stream given there.
  return isBatchSource(data) ? checkedBatches(model, data, { method, split: 'validation', labelsRequired: true }) : data;
}

export function judge(guard: GuardOptions, accuracyBefore: number, accuracyAfter: number, excludedClasses: number[] = []): GuardReport {
  const drop = accuracyBefore - accuracyAfter;
  return {
    accuracyBefore,
    accuracyAfter,
    drop,
    maxAccuracyDrop: guard.maxAccuracyDrop,
    action: guard.action,
    exceeded: drop > guard.maxAccuracyDrop,
    excludedClasses,
  };
}

/**
 * The refusal, with the way back: a selected weight is scaled by β = min(λ·I_train/I_forget, cap)
 * (docs/algorithms/ssd.md), so a larger λ dampens it less, and a larger α selects fewer weights.
 */
export function collapseMessage(method: string, r: GuardReport): string {
  const pct = (v: number) => `${(v * 100).toFixed(1)}%`;
  return (
    `${method}: validation accuracy fell from ${pct(r.accuracyBefore)} to ${pct(r.accuracyAfter)} (${(r.drop * 100).toFixed(1)} points, limit ${(r.maxAccuracyDrop * 100).toFixed(1)}); ` +
    'try a larger alpha (fewer parameters dampened) or a larger lambda (gentler dampening)'
  );
}
