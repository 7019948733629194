import type { AutoSearchRecord } from './auto-job.js';
import { runGrid, type RunGridOptions } from './grid.js';
import type { GridPlan } from './plan.js';
import type { JobResult } from './result.js';
import type { AutoSpec } from './spec.js';

/** One search of a set: where it ran, what it found, and the chosen model's metrics. */
export interface AutoSearch {
  key: string;
  scenario: string;
  seed: number;
  /** Row name (the key of `methods`) and registry name. */
  row: string;
  method: string;
  satisfied: boolean;
  /** The searched option and the chosen trial's value of it (null when no trial could be kept). */
  option: string | null;
  strength: number | null;
  /** The whole search record (every trial); absent when the search itself threw (see `error`). */
  search?: AutoSearchRecord;
  /** Metrics of the chosen model, as the grid evaluates every method. */
  metrics: Record<string, number>;
  /** The whole search. */
  timeMs: number;
  error?: string;
}

export interface RunAutoSearchesOptions extends RunGridOptions {
  /** Target and guard of every search; a method's own `auto` takes precedence, key by key. */
  auto?: AutoSpec;
}

/** The searches of a finished grid, in plan order (seed, scenario, method). */
export function autoSearches(plan: GridPlan, results: ReadonlyMap<string, JobResult>): AutoSearch[] {
  return plan.cells.flatMap((cell) =>
    cell.rest
      .filter((job) => job.spec.kind === 'auto')
      .map((job) => {
        const r = results.get(job.key);
        if (!r) throw new Error(`jobs: no result for auto job ${job.key}`);
        return {
          key: job.key,
          scenario: r.scenario,
          seed: r.seed,
          row: r.row,
          method: job.spec.method!.name,
          satisfied: r.auto?.satisfied ?? false,
          option: r.auto?.option ?? null,
          strength: r.auto?.strength ?? null,
          ...(r.auto ? { search: r.auto } : {}),
          metrics: r.metrics,
          timeMs: r.timeMs,
          ...(r.error !== undefined ? { error: r.error } : {}),
        };
      }),
  );
}

/**
 * Auto-mode searches (methods × scenarios × seeds) as jobs, through either driver: each is one
 * `auto` job that searches its method's strength and evaluates the chosen model like any grid cell,
 * against the scenario's retrained reference when `retrain` is given. Returns the grid's report
 * (each search's record in its run's `details.auto`) and the searches as a flat list.
 */
export async function runAutoSearches(options: RunAutoSearchesOptions): Promise<Awaited<ReturnType<typeof runGrid>> & { searches: AutoSearch[] }> {
  const methods = Object.fromEntries(Object.entries(options.methods).map(([row, m]) => [row, { ...m, auto: { ...options.auto, ...m.auto } }]));
  const out = await runGrid({ ...options, methods });
  return { ...out, searches: autoSearches(out.plan, out.results) };
}
