import type { BenchmarkReport } from '@unlearn/eval';

export const REPORT_TITLE = 'MNIST CNN: forgetting digit 3, 100 random samples, and digit 3 within its coarse class';

/**
 * One report from benchmarks that ran the same metrics, seeds and reference on different models
 * (the 10-digit CNN's scenarios and the coarse-pair CNN's sub-class scenario): their scenario
 * sections in order, the first report's run facts, the timings added up.
 */
export function mergeReports(title: string, reports: readonly BenchmarkReport[]): BenchmarkReport {
  const [first, ...rest] = reports;
  if (!first) throw new Error('mergeReports: no report to merge');
  for (const r of rest) {
    const same =
      r.seeds.join() === first.seeds.join() &&
      r.backend === first.backend &&
      r.metrics.map((m) => m.id).join() === first.metrics.map((m) => m.id).join() &&
      JSON.stringify(r.retrain) === JSON.stringify(first.retrain);
    if (!same) throw new Error('mergeReports: the reports differ in seeds, backend, metrics or reference');
  }
  const sum = (key: keyof BenchmarkReport['timings']) => reports.reduce((s, r) => s + r.timings[key], 0);
  return {
    ...first,
    title,
    scenarios: reports.flatMap((r) => r.scenarios),
    timings: {
      totalMs: sum('totalMs'),
      retrainRuns: sum('retrainRuns'),
      retrainCacheHits: sum('retrainCacheHits'),
      methodRuns: sum('methodRuns'),
      failedRuns: sum('failedRuns'),
    },
  };
}

/** A report with free-text notes kept in its JSON (toJson writes every field; parseReport keeps them). */
export type NotedReport = BenchmarkReport & { notes?: string[] };

/**
 * `base` with the method rows of `added` (a later run of some methods on the same data, seeds
 * and cached references, on all or some of its scenarios) put in: a row of the same name is
 * replaced, a new one appended. The original and reference rows stay those of `base`; the
 * timings add up.
 */
export function addRows(base: NotedReport, added: BenchmarkReport): NotedReport {
  const seeds = (r: BenchmarkReport) => [...r.seeds].sort((a, b) => a - b).join();
  if (seeds(added) !== seeds(base)) throw new Error(`addRows: the new run has seeds ${added.seeds.join(', ')}, the report ${base.seeds.join(', ')}`);
  const unknown = added.scenarios.filter((a) => !base.scenarios.some((s) => s.name === a.name)).map((s) => s.name);
  if (unknown.length) throw new Error(`addRows: the report has no scenario ${unknown.join(', ')}`);
  const scenarios = base.scenarios.map((scenario) => {
    const fresh = added.scenarios.find((s) => s.name === scenario.name);
    if (!fresh) return scenario;
    const rows = [...scenario.rows];
    for (const found of fresh.rows.filter((r) => r.role === 'method')) {
      const row = { ...found, runs: [...found.runs].sort((a, b) => a.seed - b.seed) };
      const at = rows.findIndex((r) => r.name === row.name);
      if (at >= 0) rows[at] = row;
      else rows.push(row);
    }
    return { ...scenario, rows };
  });
  const t = (key: keyof BenchmarkReport['timings']) => base.timings[key] + added.timings[key];
  return {
    ...base,
    scenarios,
    timings: {
      totalMs: t('totalMs'),
      retrainRuns: t('retrainRuns'),
      retrainCacheHits: t('retrainCacheHits'),
      methodRuns: t('methodRuns'),
      failedRuns: t('failedRuns'),
    },
  };
}

/** `addRows` plus a note naming the rows, their run's date and time, and dropping an outdated 'Not run' note. */
export function withPart(base: NotedReport, part: BenchmarkReport): NotedReport {
  const report = addRows(base, part);
  const names = [...new Set(part.scenarios.flatMap((s) => s.rows.filter((r) => r.role === 'method').map((r) => r.name)))];
  const kept = (base.notes ?? []).filter((n) => !n.startsWith('Not run:'));
  const minutes = (part.timings.totalMs / 60_000).toFixed(0);
  const some = part.scenarios.length < base.scenarios.length ? ` in ${part.scenarios.map((s) => s.name).join(', ')} only` : '';
  report.notes = [...kept, `Rows run separately on ${part.createdAt.slice(0, 10)} (same data, seeds and cached references, ${minutes} min)${some}: ${names.join(', ')}.`];
  return report;
}
