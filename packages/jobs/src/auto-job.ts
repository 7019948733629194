import { autoUnlearn, invalidOption, isNumberIn, UnlearnError } from '@unlearn/core';
import type { AutoGuard, AutoTarget, AutoTrial, ForgetRequest, ModelAdapter, Unlearner } from '@unlearn/core';
import type { LabelledData } from '@unlearn/eval';
import type { AutoSpec, ScenarioSpec } from './spec.js';

/** What an `auto` job keeps of its search: enough to see which trial was chosen and why. */
export interface AutoSearchRecord {
  satisfied: boolean;
  reason: string;
  /** The option searched, e.g. ssd's `alpha`. */
  option: string;
  /** Index of the chosen trial, or null when no trial could be kept. */
  chosen: number | null;
  /** The chosen trial's strength (the value of `option`), or null. */
  strength: number | null;
  target: AutoTarget;
  guard?: AutoGuard;
  /** Every trial: strength, forget accuracy, guard accuracy, verdicts, time. */
  trials: AutoTrial[];
  /** Work shared between trials (e.g. importances computed once), as the method reports it. */
  shared?: Record<string, unknown>;
}

export interface AutoSearchOutcome {
  /** The chosen trial's model, for the caller to evaluate and dispose; absent when none was kept. */
  model?: ModelAdapter;
  /** The chosen trial's `UnlearnResult.details`. */
  details?: Record<string, unknown>;
  search: AutoSearchRecord;
  /** The whole search, every trial included: what the chosen model cost. */
  timeMs: number;
}

/**
 * Fails at planning what would fail every search of a grid (a method with no strength, an option
 * out of range), rather than recording the same error in every cell after the references ran.
 */
export function checkAutoSpec(unlearner: Unlearner, auto: AutoSpec, scenarios: readonly ScenarioSpec[]): void {
  if (!unlearner.strength) {
    throw new UnlearnError('INVALID_OPTION', `jobs: ${unlearner.name} declares no strength to search, so it has no auto mode`);
  }
  const fraction = (v: number | undefined) => v === undefined || isNumberIn(v, { min: 0, max: 1 });
  if (!fraction(auto.targetForgetAccuracy)) throw invalidOption('jobs', 'auto.targetForgetAccuracy', 'a fraction between 0 and 1', auto.targetForgetAccuracy);
  if (!fraction(auto.maxRetainDrop)) throw invalidOption('jobs', 'auto.maxRetainDrop', 'a fraction between 0 and 1', auto.maxRetainDrop);
  if (auto.maxTrials !== undefined && !isNumberIn(auto.maxTrials, { integer: true, min: 1 })) throw invalidOption('jobs', 'auto.maxTrials', 'an integer >= 1', auto.maxTrials);
  if (auto.guard !== undefined && auto.guard !== 'test' && auto.guard !== 'none') throw invalidOption('jobs', 'auto.guard', '"test" or "none"', auto.guard);
  // autoUnlearn has a default target for one forgotten class, or else the guard's accuracy.
  if (auto.guard === 'none' && auto.targetForgetAccuracy === undefined && scenarios.some((s) => s.kind !== 'full-class')) {
    throw invalidOption('jobs', 'auto.targetForgetAccuracy', 'given when a random scenario is searched without a guard (there is no default target)', undefined);
  }
  // A time budget (autoUnlearn's maxSeconds) cannot be named: see AutoSpec.
  const stray = Object.keys(auto).find((k) => !['targetForgetAccuracy', 'maxRetainDrop', 'maxTrials', 'guard'].includes(k));
  if (stray) throw invalidOption('jobs', `auto.${stray}`, 'absent: an auto job takes targetForgetAccuracy, maxRetainDrop, maxTrials and guard only', (auto as Record<string, unknown>)[stray]);
}

/** Runs an `auto` job's search from the original weights (never changed: every trial works on a copy). */
export async function runAutoSearch(
  unlearner: Unlearner,
  auto: AutoSpec,
  original: ModelAdapter,
  request: ForgetRequest,
  test: LabelledData,
  run: { seed: number; signal?: AbortSignal },
): Promise<AutoSearchOutcome> {
  const { guard, ...targets } = auto;
  const guarded = guard === 'none' ? request : { ...request, validation: test };
  const found = await autoUnlearn(original, guarded, unlearner, { ...targets, ...run });
  const kept = found.chosen === null ? undefined : found.trials[found.chosen]!;
  const search: AutoSearchRecord = {
    satisfied: found.satisfied,
    reason: found.reason,
    option: found.option,
    chosen: found.chosen,
    strength: kept ? kept.strength : null,
    target: found.target,
    ...(found.guard ? { guard: found.guard } : {}),
    trials: found.trials,
    ...(found.shared ? { shared: found.shared } : {}),
  };
  return {
    ...(found.result ? { model: found.result.model } : {}),
    ...(found.result?.details ? { details: found.result.details } : {}),
    search,
    timeMs: found.timeMs,
  };
}
