import type { AutoSearch, AutoSpec } from '@unlearn/jobs';
import { usageError } from './exit-codes.js';
import { autoOptions, type AutoFlags } from './commands/forget-auto.js';

/**
 * `bench --auto`'s target and guard, from the flags `forget --auto` takes. Every search runs as a
 * job, so it needs --store; there is no --budget-seconds: a job's result may not depend on the
 * clock of the machine that ran it.
 */
export function benchAutoSpec(flags: AutoFlags & { store?: string }): AutoSpec | undefined {
  const options = autoOptions(flags);
  if (!flags.auto) return undefined;
  if (!flags.store) throw usageError('--auto runs each search as a job: give --store <dir> (and --queue to spread them over workers)');
  return {
    ...(options.targetForgetAccuracy !== undefined ? { targetForgetAccuracy: options.targetForgetAccuracy } : {}),
    ...(options.maxRetainDrop !== undefined ? { maxRetainDrop: options.maxRetainDrop } : {}),
    ...(options.maxTrials !== undefined ? { maxTrials: options.maxTrials } : {}),
  };
}

const pct = (v: number | undefined) => (v === undefined ? '—' : `${(v * 100).toFixed(1)}%`);

/** One line per search: whether it met the target, at which strength, after how many trials. */
export function searchTable(searches: readonly AutoSearch[]): string[] {
  return [
    '| scenario | seed | method | met target | chosen | forget acc | kept-class acc | trials | time |',
    '|---|---:|---|:---:|---:|---:|---:|---:|---:|',
    ...searches.map((s) => {
      const chosen = s.search?.chosen == null ? undefined : s.search.trials[s.search.chosen];
      const at = s.strength === null ? '—' : `${s.option} ${s.strength.toPrecision(4)}`;
      return `| ${s.scenario} | ${s.seed} | ${s.row} | ${s.satisfied ? 'yes' : 'no'} | ${at} | ${pct(chosen?.forgetAccuracy)} | ${pct(chosen?.guardAccuracy)} | ${s.search?.trials.length ?? 0} | ${Number.isFinite(s.timeMs) ? `${(s.timeMs / 1000).toFixed(2)} s` : '—'}${s.error ? ` (${s.error})` : ''} |`;
    }),
  ];
}
