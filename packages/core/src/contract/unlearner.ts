import type { Dataset } from '../data/dataset.js';
import type { ModelAdapter } from '../model/types.js';
import type { OptionsSchema } from '../options/schema.js';
import type { Rng } from '../random/rng.js';

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

/**
 * Method-specific facts a run reports (selected parameters, losses, ...), JSON-safe. A method
 * declares its own as a `type` alias (an `interface` has no index signature, so it would not fit
 * this default) and `UnlearnResult.details` then has that type.
 */
export type UnlearnDetails = Record<string, unknown>;

/**
 * A report `interface` as a details type: the same properties, plus the implicit index signature
 * an interface lacks (e.g. `AsDetails<TrainReport & { reinit: string }>`).
 */
export type AsDetails<T> = { [K in keyof T]: T[K] };

/** What an unlearner may hand back besides the weights it changed in place. */
export interface UnlearnOutcome<Details = UnlearnDetails> {
  /** Method-specific facts for the report (selected parameters, losses, ...). JSON-safe. */
  details?: Details;
}

/** Work a strength search shares between its trials, e.g. SSD's training-set importances. */
export interface PreparedRequest {
  /** The request each trial runs on (e.g. with `importances` filled in). */
  request: ForgetRequest;
  /** JSON-safe facts about the shared work, for the search's report. */
  details?: Record<string, unknown>;
  dispose(): void;
}

/**
 * One option that sets how hard a method forgets, declared so that auto mode (`autoUnlearn`)
 * can search it on the user's own model: trials go from `weakest` towards `strongest` in
 * geometric steps of `factor`, then bisect. Stronger must mean "forgets more" (and usually
 * "costs more utility"); the conformance suite checks that on a small fixture.
 */
export interface StrengthKnob<Options = unknown, Details = UnlearnDetails> {
  /** The option the knob sets, e.g. 'alpha'. */
  option: string;
  /** 'increasing': larger values forget more (a learning rate, epochs); 'decreasing': smaller values do (SSD's α). */
  direction: 'increasing' | 'decreasing';
  weakest: number;
  strongest: number;
  /** Ratio between successive trials of the first phase (default 2). */
  factor?: number;
  /** The option takes whole numbers (epochs). */
  integer?: boolean;
  /** The same method with the knob set to `value`, every other option unchanged. */
  at(value: number): Unlearner<Options, Details>;
  /** Computes, once per search, what every trial can share. */
  prepare?(model: ModelAdapter, request: ForgetRequest, signal: AbortSignal): Promise<PreparedRequest>;
}

/**
 * An unlearning method. It changes `ctx.model`'s variables in place; the runner takes care
 * of copying, restoring on failure, timing and reporting.
 */
export interface Unlearner<Options = unknown, Details = UnlearnDetails> {
  readonly name: string;
  readonly options: Options;
  readonly needs: UnlearnerNeeds;
  /**
   * The schema `options` were resolved with (`defineOptions`): it validates them, writes them
   * into records and reads them from the command line. Typed loosely here because a typed
   * schema would make `Unlearner` invariant in its options, which breaks the registry's
   * overloads; `defineUnlearner` checks that the schema matches the options.
   */
  readonly schema?: OptionsSchema<any>;
  /**
   * Throws an INVALID_OPTION error for bad options; the runner calls it before any work.
   * `defineUnlearner` fills it in from `schema` when it is not given.
   */
  validate?(): void;
  /** The option auto mode may search, when the method has one. */
  readonly strength?: StrengthKnob<Options, Details>;
  /**
   * Changes `ctx.model`'s variables in place. A method that declares a `Details` type returns
   * them on every run (the runner's result claims that type); one that declares none may return
   * nothing, and its result's details are `{}`.
   */
  unlearn(ctx: UnlearnContext): Promise<UnlearnOutcome<Details> | void>;
}

/**
 * Keeps the options type of a method definition, and validates `options` with `schema` when
 * the method declares a schema and no `validate` of its own.
 */
export function defineUnlearner<Options, Details = UnlearnDetails>(
  unlearner: Unlearner<Options, Details> & { schema?: OptionsSchema<Options> },
): Unlearner<Options, Details> {
  const { schema } = unlearner;
  if (!schema || unlearner.validate) return unlearner;
  return { ...unlearner, validate: () => schema.validate(unlearner.options) };
}
