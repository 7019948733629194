/**
 * The metrics that read the clock: the only ones two runs of a job (or a queued grid and the
 * single-process benchmark) may differ in. Every other metric of a job is a function of its key.
 */
export const TIMED_METRICS: ReadonlySet<string> = new Set(['timeMs', 'speedUp']);

/** A run's metrics less the timed ones: what two runs of the same job must agree on. */
export function untimedMetrics<V>(metrics: Readonly<Record<string, V>>): Record<string, V> {
  return Object.fromEntries(Object.entries(metrics).filter(([id]) => !TIMED_METRICS.has(id)));
}

/** The runs of a report (or its JSON) as `scenario/row/seed` → untimed metrics, or the run's error. */
export function untimedReport<V>(report: {
  scenarios: readonly { name: string; rows: readonly { name: string; runs: readonly { seed: number; metrics: Readonly<Record<string, V>>; error?: string }[] }[] }[];
}): Record<string, Record<string, V> | string> {
  const out: Record<string, Record<string, V> | string> = {};
  for (const s of report.scenarios) {
    for (const row of s.rows) {
      for (const run of row.runs) out[`${s.name}/${row.name}/${run.seed}`] = run.error ?? untimedMetrics(run.metrics);
    }
  }
  return out;
}
