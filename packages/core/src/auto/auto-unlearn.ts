import { abortError, isUnlearnError, UnlearnError } from '../errors.js';
import { prepareBackend } from '../backend/choice.js';
import { isModelAdapter, toModelAdapter } from '../model/adapter.js';
import type { ModelAdapter, UnlearnableModel } from '../model/types.js';
import { isNumberIn } from '../options/fields.js';
import { unlearn, type UnlearnOptions, type UnlearnResult } from '../run/unlearn.js';
import type { ForgetRequest, PreparedRequest, UnlearnDetails, Unlearner } from '../contract/unlearner.js';
import { checkSeed } from '../run/seed.js';
import { checkedRequest, validateRequest } from '../run/validate.js';
import { StrengthSchedule, type TrialVerdict } from './schedule.js';
import { trialScorer, type AutoGuard, type AutoTarget } from './target.js';

export interface AutoUnlearnOptions extends Omit<UnlearnOptions, 'inPlace' | 'onProgress'> {
  /** Forget-set accuracy to reach (fraction). Default: 0.05 for a one-class forget set, else the original validation accuracy. */
  targetForgetAccuracy?: number;
  /** Largest tolerated fall of validation accuracy on the kept classes (fraction; default 0.02). Needs `request.validation`. */
  maxRetainDrop?: number;
  /** Most trials (default 10). */
  maxTrials?: number;
  /** No trial starts after this many seconds (default: no limit). */
  maxSeconds?: number;
  /** Called after each trial. */
  onTrial?: (trial: AutoTrial, index: number) => void;
}

/** One run of the method at one strength, on a copy of the original model. */
export interface AutoTrial {
  strength: number;
  forgetAccuracy?: number;
  guardAccuracy?: number;
  metTarget: boolean;
  /** The guard held (always true without a validation set). */
  admissible: boolean;
  timeMs: number;
  /** Why the trial failed, when it threw (e.g. NaN weights). */
  error?: string;
}

export interface AutoResult<M extends UnlearnableModel | ModelAdapter = UnlearnableModel, Options = unknown, Details = UnlearnDetails> {
  /** The chosen trial's result and model (a new model of the kind given, the caller's own is untouched); undefined when no trial could be kept. */
  result?: UnlearnResult<M, Options, Details>;
  /** Whether the chosen trial met the target and the guard. */
  satisfied: boolean;
  /** Index of the chosen trial in `trials`, or null. */
  chosen: number | null;
  /** Why that trial was chosen, or why none met the target, in one sentence. */
  reason: string;
  method: string;
  option: string;
  target: AutoTarget;
  guard?: AutoGuard;
  trials: AutoTrial[];
  /** Facts about the work shared between trials (e.g. importances computed once). */
  shared?: Record<string, unknown>;
  timeMs: number;
}

const pct = (v: number | undefined) => (v === undefined ? '—' : `${(v * 100).toFixed(1)}%`);

function checkOptions(method: string, o: AutoUnlearnOptions): void {
  const bad = (option: string, requirement: string, value: unknown) =>
    new UnlearnError('INVALID_OPTION', `${method} (auto): option "${option}" must be ${requirement} (got ${JSON.stringify(value)})`);
  if (o.targetForgetAccuracy !== undefined && !isNumberIn(o.targetForgetAccuracy, { min: 0, max: 1 })) {
    throw bad('targetForgetAccuracy', 'a fraction between 0 and 1', o.targetForgetAccuracy);
  }
  if (o.maxRetainDrop !== undefined && !isNumberIn(o.maxRetainDrop, { min: 0, max: 1 })) throw bad('maxRetainDrop', 'a fraction between 0 and 1', o.maxRetainDrop);
  if (o.maxTrials !== undefined && !isNumberIn(o.maxTrials, { integer: true, min: 1 })) throw bad('maxTrials', 'an integer >= 1', o.maxTrials);
  if (o.maxSeconds !== undefined && !isNumberIn(o.maxSeconds, { above: 0 })) throw bad('maxSeconds', 'a number of seconds > 0', o.maxSeconds);
  // Checked here as unlearn() would, or every trial would fail with the same error and be recorded as a failed trial.
  if (o.seed !== undefined) checkSeed(o.seed, `${method} (auto)`);
}

/** The better of two kept trials: with a guard, higher kept-class accuracy; without, the weaker one (less change). */
function better(a: AutoTrial, b: AutoTrial, guarded: boolean, weakerFirst: (x: number, y: number) => boolean): boolean {
  if (guarded && a.guardAccuracy !== b.guardAccuracy) return (a.guardAccuracy ?? -1) > (b.guardAccuracy ?? -1);
  return weakerFirst(a.strength, b.strength);
}

/**
 * Auto mode: searches the method's declared strength (`unlearner.strength`) on the caller's own
 * model until the forget target is met, each trial from the original weights on a copy, and
 * returns the best trial with the table of every trial. With `request.validation` (labelled),
 * trials that cost more than `maxRetainDrop` on the kept classes are rejected and the most
 * accurate admissible trial wins; without it (zero-shot), the weakest strength that meets the
 * target. When nothing meets both, `satisfied` is false and `reason` says so.
 */
export async function autoUnlearn<M extends UnlearnableModel | ModelAdapter, Options, Details = UnlearnDetails>(
  model: M,
  request: ForgetRequest,
  unlearner: Unlearner<Options, Details>,
  options: AutoUnlearnOptions = {},
): Promise<AutoResult<M, Options, Details>> {
  const started = performance.now();
  const { signal, logger } = options;
  const method = unlearner.name;
  const knob = unlearner.strength;
  if (!knob) {
    throw new UnlearnError('INVALID_OPTION', `${method} declares no strength to search, so it has no auto mode (see StrengthKnob in the plugin guide)`);
  }
  checkOptions(method, options);
  unlearner.validate?.();
  // Before the baseline scores, so the whole search runs on one backend.
  await prepareBackend(options.backend, logger);
  const original = toModelAdapter(model);
  await validateRequest(original, request, unlearner as Unlearner);
  if (signal?.aborted) throw abortError(signal.reason);
  // The scores read the streams too; each trial's unlearn() finds them checked and adds nothing.
  const checked = checkedRequest(original, request, unlearner as Unlearner);

  const scorer = await trialScorer(method, original, checked, { forgetAccuracy: options.targetForgetAccuracy, maxRetainDrop: options.maxRetainDrop }, signal);
  const schedule = new StrengthSchedule(knob);
  const weakerFirst = (x: number, y: number) => (knob.direction === 'increasing' ? x < y : x > y);
  const maxTrials = options.maxTrials ?? 10;
  const trials: AutoTrial[] = [];
  // Trials run on the adapter, so their models come back as adapters, converted once at the end.
  let kept: { index: number; result: UnlearnResult<ModelAdapter, Options, Details> } | undefined;
  let prepared: PreparedRequest | undefined;
  const keep = (index: number, result: UnlearnResult<ModelAdapter, Options, Details>) => {
    if (kept) kept.result.model.dispose();
    kept = { index, result };
  };

  try {
    prepared = knob.prepare ? await knob.prepare(original, checked, signal ?? new AbortController().signal) : undefined;
    const trialRequest = prepared?.request ?? checked;
    for (let level = schedule.next(); level !== undefined && trials.length < maxTrials; level = schedule.next()) {
      if (options.maxSeconds !== undefined && (performance.now() - started) / 1000 >= options.maxSeconds) break;
      const strength = schedule.valueAt(level);
      const t0 = performance.now();
      let trial: AutoTrial;
      let result: UnlearnResult<ModelAdapter, Options, Details> | undefined;
      try {
        result = await unlearn(original, trialRequest, knob.at(strength), { seed: options.seed, signal, logger, backend: options.backend });
        const scores = await scorer.score(result.model, signal);
        const metTarget = scores.forgetAccuracy <= scorer.target.forgetAccuracy;
        const admissible = !scorer.guard || scores.guardAccuracy! >= scorer.guard.before - scorer.guard.maxRetainDrop - 1e-9;
        trial = { strength, ...scores, metTarget, admissible, timeMs: performance.now() - t0 };
      } catch (error) {
        if (result) result.model.dispose();
        if (isUnlearnError(error, 'ABORTED') || signal?.aborted) throw error;
        // A trial too strong to run (NaN weights, a collapse guard) bounds the search like a trial that forgot enough.
        trial = { strength, metTarget: false, admissible: false, timeMs: performance.now() - t0, error: (error as Error).message };
        result = undefined;
      }
      const index = trials.push(trial) - 1;
      options.onTrial?.(trial, index);
      logger?.info(`${method} auto: trial ${index + 1} ${knob.option}=${strength.toPrecision(4)} forget ${pct(trial.forgetAccuracy)} guard ${pct(trial.guardAccuracy)}${trial.error ? ` (${trial.error})` : ''}`);
      const verdict: TrialVerdict = trial.error ? 'failed' : trial.metTarget ? 'met' : trial.admissible ? 'weak' : 'damaging';
      schedule.record(level, verdict);
      if (!result) continue;
      if (isBetterCandidate(trial, kept ? trials[kept.index]! : undefined, Boolean(scorer.guard), weakerFirst)) keep(index, result);
      else result.model.dispose();
    }
    if (signal?.aborted) throw abortError(signal.reason);
  } catch (error) {
    if (kept) kept.result.model.dispose();
    throw error;
  } finally {
    prepared?.dispose();
  }

  const chosen = kept ? trials[kept.index]! : undefined;
  const satisfied = Boolean(chosen?.metTarget && chosen.admissible);
  return {
    ...(kept ? { result: { ...kept.result, model: (isModelAdapter(model) ? kept.result.model : kept.result.model.model) as M } } : {}),
    satisfied,
    chosen: kept ? kept.index : null,
    reason: explain(knob.option, scorer.target, scorer.guard, trials, chosen, satisfied),
    method,
    option: knob.option,
    target: scorer.target,
    ...(scorer.guard ? { guard: scorer.guard } : {}),
    trials,
    ...(prepared?.details ? { shared: prepared.details } : {}),
    timeMs: performance.now() - started,
  };
}

/**
 * Which trial to keep: one that meets target and guard beats any that does not; among those,
 * `better`; among trials that miss the target but keep the guard, the one that forgot most.
 */
function isBetterCandidate(t: AutoTrial, current: AutoTrial | undefined, guarded: boolean, weakerFirst: (x: number, y: number) => boolean): boolean {
  if (!t.admissible) return false;
  if (!current) return true;
  if (t.metTarget !== current.metTarget) return t.metTarget;
  if (t.metTarget) return better(t, current, guarded, weakerFirst);
  return t.forgetAccuracy! < current.forgetAccuracy!;
}

function explain(option: string, target: AutoTarget, guard: AutoGuard | undefined, trials: AutoTrial[], chosen: AutoTrial | undefined, satisfied: boolean): string {
  const goal = `forget accuracy <= ${pct(target.forgetAccuracy)}${guard ? ` with kept-class accuracy >= ${pct(guard.before - guard.maxRetainDrop)}` : ''}`;
  if (!chosen) {
    return `no trial of ${trials.length} could be kept (${goal}): every trial ${guard ? 'broke the guard or ' : ''}failed; the model is unchanged`;
  }
  const at = `${option} ${chosen.strength.toPrecision(4)}`;
  if (satisfied) {
    return guard
      ? `${at} met ${goal} with the highest kept-class accuracy (${pct(chosen.guardAccuracy)}) of the ${trials.filter((t) => t.metTarget && t.admissible).length} trials that did`
      : `${at} is the weakest tried that met ${goal}`;
  }
  return `no trial of ${trials.length} met ${goal}; ${at} forgot most within the guard (forget accuracy ${pct(chosen.forgetAccuracy)}) and is NOT a completed deletion`;
}
