import { requireLabels } from '../data/checks.js';
import { UnlearnError } from '../errors.js';
import { agreement, predictClasses, singleClass } from '../model/predict.js';
import type { ModelAdapter } from '../model/types.js';
import type { ForgetRequest } from '../contract/unlearner.js';

/** The target one search must meet, and what it is measured against. */
export interface AutoTarget {
  /** Trials must bring forget-set accuracy to this fraction or below. */
  forgetAccuracy: number;
  /** 'labels': the forget set's labels; 'original-predictions': the original model's classes (no labels needed). */
  against: 'labels' | 'original-predictions';
  /** Why this value: given by the caller, the one-class default, or the original model's validation accuracy. */
  source: 'given' | 'one-class' | 'validation';
  /** The forget set's accuracy before unlearning. */
  before: number;
}

/** The utility guard: accuracy on the validation samples of the classes that are kept. */
export interface AutoGuard {
  before: number;
  maxRetainDrop: number;
  /** Classes left out of the guard because the forget set is all of them (a class being forgotten). */
  excludedClasses: number[];
  samples: number;
}

/** Forget-set accuracy a full-class deletion must reach by default: a retrained model scores about 0 on a class it never saw. */
export const ONE_CLASS_TARGET = 0.05;
export const DEFAULT_MAX_RETAIN_DROP = 0.02;

/** What every trial is scored with: reference classes computed once from the original model. */
export interface TrialScorer {
  target: AutoTarget;
  guard?: AutoGuard;
  score(model: ModelAdapter, signal?: AbortSignal): Promise<{ forgetAccuracy: number; guardAccuracy?: number }>;
}

/**
 * Fixes the target and the guard from the original model and the request: labels when the
 * forget set has them, else the original model's own predictions (zero-shot); the one-class
 * default when every reference class is the same, else the original validation accuracy,
 * since a retrained model generalises to samples it never saw.
 */
export async function trialScorer(
  method: string,
  original: ModelAdapter,
  request: ForgetRequest,
  options: { forgetAccuracy?: number; maxRetainDrop?: number },
  signal?: AbortSignal,
): Promise<TrialScorer> {
  if (request.validation) {
    requireLabels(request.validation, { method: `${method} (auto)`, split: 'validation', why: 'it guards the accuracy on the classes that are kept' });
  }
  const forget = await predictClasses(original, request.forget, 256, signal);
  const reference = forget.labels ?? forget.predicted;
  const against = forget.labels ? 'labels' : 'original-predictions';
  const classes = new Set(reference);
  const forgotten = singleClass(reference);
  const oneClass = forgotten !== undefined;

  const validation = request.validation ? await predictClasses(original, request.validation, 256, signal) : undefined;
  const excluded = oneClass ? [forgotten] : [];
  const kept = (labels: Int32Array) => (i: number) => !excluded.includes(labels[i]!);
  const keptValidation = validation?.labels ? kept(validation.labels) : undefined;

  let forgetAccuracy = options.forgetAccuracy;
  let source: AutoTarget['source'] = 'given';
  if (forgetAccuracy === undefined) {
    if (oneClass) [forgetAccuracy, source] = [ONE_CLASS_TARGET, 'one-class'];
    else if (validation) [forgetAccuracy, source] = [agreement(validation.predicted, validation.labels!), 'validation'];
    else {
      throw new UnlearnError(
        'INVALID_OPTION',
        `${method} (auto): the forget set spans ${classes.size} classes, so there is no default target; give targetForgetAccuracy, or a labelled validation set (a retrained model scores about its validation accuracy on samples it never saw)`,
      );
    }
  }
  const target: AutoTarget = { forgetAccuracy, against, source, before: agreement(forget.predicted, reference) };

  let guard: AutoGuard | undefined;
  if (validation) {
    const labels = validation.labels!;
    const samples = labels.filter((_, i) => keptValidation!(i)).length;
    if (samples === 0) {
      throw new UnlearnError(
        'EMPTY_DATASET',
        `${method} (auto): every validation sample is of the class being forgotten (${excluded.join(', ')}); the guard needs samples of kept classes`,
        { split: 'validation', field: 'x' },
      );
    }
    guard = {
      before: agreement(validation.predicted, labels, keptValidation),
      maxRetainDrop: options.maxRetainDrop ?? DEFAULT_MAX_RETAIN_DROP,
      excludedClasses: excluded,
      samples,
    };
  }

  return {
    target,
    ...(guard ? { guard } : {}),
    async score(model, s) {
      const f = await predictClasses(model, request.forget, 256, s);
      const out: { forgetAccuracy: number; guardAccuracy?: number } = { forgetAccuracy: agreement(f.predicted, reference) };
      if (guard && request.validation) {
        const v = await predictClasses(model, request.validation, 256, s);
        out.guardAccuracy = agreement(v.predicted, validation!.labels!, keptValidation);
      }
      return out;
    },
  };
}
