import type { AutoResult, AutoTrial, AutoUnlearnOptions, ModelAdapter, UnlearnableModel } from '@unlearn/core';

/** A search's result on either kind of model: only its table and verdict are read here. */
type AnyAutoResult = AutoResult<UnlearnableModel | ModelAdapter>;
import { CliError, usageError } from '../exit-codes.js';
import { parsePositiveInt } from './common.js';

/** The `unlearn forget --auto` flags. */
export interface AutoFlags {
  auto?: boolean;
  targetForgetAcc?: string;
  maxRetainDrop?: string;
  budget?: string;
  budgetSeconds?: string;
  allowPartial?: boolean;
}

/** What the deletion record keeps of a search: enough to see which trial was chosen and why. */
export interface AutoRecord {
  satisfied: boolean;
  reason: string;
  option: string;
  chosen: number | null;
  target: AutoResult['target'];
  guard?: AutoResult['guard'];
  trials: AutoTrial[];
  shared?: Record<string, unknown>;
  searchMs: number;
}

/** A percentage flag ("5" or "5%") as a fraction. */
function percent(flag: string, text: string): number {
  const v = Number(text.trim().replace(/%$/, ''));
  if (text.trim() === '' || !Number.isFinite(v) || v < 0 || v > 100) throw usageError(`${flag} expects a percentage between 0 and 100 (got "${text}")`);
  return v / 100;
}

export function autoOptions(flags: AutoFlags): AutoUnlearnOptions {
  const given = ['targetForgetAcc', 'maxRetainDrop', 'budget', 'budgetSeconds', 'allowPartial'] as const;
  if (!flags.auto) {
    const stray = given.find((k) => flags[k] !== undefined);
    if (stray) throw usageError(`--${stray.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)} only applies with --auto`);
    return {};
  }
  return {
    ...(flags.targetForgetAcc !== undefined ? { targetForgetAccuracy: percent('--target-forget-acc', flags.targetForgetAcc) } : {}),
    ...(flags.maxRetainDrop !== undefined ? { maxRetainDrop: percent('--max-retain-drop', flags.maxRetainDrop) } : {}),
    ...(flags.budget !== undefined ? { maxTrials: parsePositiveInt('--budget', flags.budget) } : {}),
    ...(flags.budgetSeconds !== undefined ? { maxSeconds: parsePositiveInt('--budget-seconds', flags.budgetSeconds) } : {}),
  };
}

const pct = (v: number | undefined) => (v === undefined ? '—' : `${(v * 100).toFixed(1)}%`);

/** The trial table, as Markdown rows (the record) or aligned text (the terminal). */
export function trialTable(a: Pick<AutoRecord, 'option' | 'trials' | 'chosen'>): string[] {
  return [
    `| # | ${a.option} | forget acc | kept-class acc | met target | within guard | time |`,
    '|---:|---:|---:|---:|:---:|:---:|---:|',
    ...a.trials.map(
      (t, i) =>
        `| ${i + 1}${i === a.chosen ? ' (chosen)' : ''} | ${t.strength.toPrecision(4)} | ${pct(t.forgetAccuracy)} | ${pct(t.guardAccuracy)} | ${t.metTarget ? 'yes' : 'no'} | ${t.admissible ? 'yes' : 'no'} | ${(t.timeMs / 1000).toFixed(2)} s${t.error ? ` (${t.error})` : ''} |`,
    ),
  ];
}

export function autoRecord(a: AnyAutoResult): AutoRecord {
  return {
    satisfied: a.satisfied,
    reason: a.reason,
    option: a.option,
    chosen: a.chosen,
    target: a.target,
    ...(a.guard ? { guard: a.guard } : {}),
    trials: a.trials,
    ...(a.shared ? { shared: a.shared } : {}),
    searchMs: a.timeMs,
  };
}

/**
 * A search that met the target within the guard goes on to be written. One that did not is
 * refused (exit 5) with its trial table, so that no record claims a deletion that did not
 * happen, unless `--allow-partial` asks for the best partial result, which is then recorded as such.
 */
export function checkAutoOutcome(a: AnyAutoResult, allowPartial: boolean): void {
  if (a.satisfied && a.result) return;
  if (a.result && allowPartial) return;
  const table = trialTable(autoRecord(a)).join('\n');
  const hint = a.result ? ' Pass --allow-partial to write this partial result anyway (the record says it is partial).' : '';
  throw new CliError('refused', 'AUTO_TARGET_NOT_MET', `${a.method} --auto: ${a.reason}.${hint}\n${table}`);
}
