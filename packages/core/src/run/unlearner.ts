import type { Dataset } from '../data/dataset.js';
import type { ModelAdapter } from '../model/types.js';
import type { Rng } from '../tensor/rng.js';

/** What a method needs beyond the model and the forget inputs, checked before any work. */
export interface UnlearnerNeeds {
  /** Class labels on the forget set (and on retain/train data when those are used). */
  labels?: boolean;
  /** The retain set D \ Df. */
  retain?: boolean;
  /** Labels on the retain set only (for methods that train on it but never read forget labels). */
  retainLabels?: boolean;
  /** The full training set D, unless `importances` may stand in for it. */
  train?: boolean;
  /** Precomputed training-set importances are accepted in place of `train`. */
  acceptsImportances?: boolean;
}

/** The data of one deletion request. */
export interface ForgetRequest {
  /** The samples to forget (required, non-empty). */
  forget: Dataset;
  /** The data to keep (D \ Df), for methods that train on it. */
  retain?: Dataset;
  /** The full training set D, for methods that compare against it. */
  train?: Dataset;
  /** Precomputed importances over D (method-specific, e.g. from @unlearn/ssd). */
  importances?: unknown;
  /** A small held-out set some methods use to guard against utility collapse. */
  validation?: Dataset;
}

export interface ProgressEvent {
  /** A method-specific phase name, e.g. 'importance-train', 'dampen', 'epoch'. */
  phase: string;
  /** Work done so far in this run, counting across phases; never decreases. */
  step: number;
  /** Total steps when known. */
  total?: number;
  /** Extra numbers a method reports (loss, epoch, eta...). */
  metrics?: Record<string, number>;
}

export interface Logger {
  debug(message: string): void;
  info(message: string): void;
  warn(message: string): void;
}

/** What an unlearner receives: the working model (a copy unless in-place) and run services. */
export interface UnlearnContext {
  model: ModelAdapter;
  request: ForgetRequest;
  rng: Rng;
  signal: AbortSignal;
  logger: Logger;
  /** Report progress; `step` is clamped to stay monotonic across calls. */
  progress(event: ProgressEvent): void;
  /** Throws an `ABORTED` UnlearnError if the run's signal fired. */
  throwIfAborted(): void;
}

/** What an unlearner may hand back besides the weights it changed in place. */
export interface UnlearnOutcome {
  /** Method-specific facts for the report (selected parameters, losses, ...). JSON-safe. */
  details?: Record<string, unknown>;
}

/**
 * An unlearning method. It changes `ctx.model`'s variables in place; the runner takes care
 * of copying, restoring on failure, timing and reporting.
 */
export interface Unlearner<Options = unknown> {
  readonly name: string;
  readonly options: Options;
  readonly needs: UnlearnerNeeds;
  /** Throws an INVALID_OPTION error for bad options; the runner calls it before any work. */
  validate?(): void;
  unlearn(ctx: UnlearnContext): Promise<UnlearnOutcome | void>;
}

/** Identity helper that keeps the options type of a method definition. */
export function defineUnlearner<Options>(unlearner: Unlearner<Options>): Unlearner<Options> {
  return unlearner;
}
