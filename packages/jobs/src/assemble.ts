import * as tf from '@tensorflow/tfjs-core';
import { summarize } from '@unlearn/eval';
import type { BenchmarkReport, RowReport, RunRecord, ScenarioReport } from '@unlearn/eval';
import type { GridPlan } from './plan.js';
import type { JobResult } from './result.js';
import { toScenario } from './scenarios.js';
import { metricsOf } from './run-job.js';

export interface AssembleInfo {
  totalMs: number;
  /** Keys whose result was already in the store when the grid asked for it. */
  reused: ReadonlySet<string>;
}

/** The benchmark report of a finished grid, laid out exactly as `benchmark` lays it out. */
export function assembleReport(plan: GridPlan, results: ReadonlyMap<string, JobResult>, info: AssembleInfo): BenchmarkReport {
  const metrics = metricsOf(plan.metrics);
  const counts = { retrainRuns: 0, retrainCacheHits: 0, methodRuns: 0, failedRuns: 0 };
  const scenarios: ScenarioReport[] = [];
  for (const spec of plan.cells.filter((c) => c.seed === plan.seeds[0]).map((c) => c.scenario)) {
    const scenario = toScenario(spec);
    const rows = new Map<string, RowReport>();
    const rowOf = (name: string, init: () => RowReport) => rows.get(name) ?? rows.set(name, init()).get(name)!;
    let sizes: ScenarioReport['sizes'] | undefined;
    for (const cell of plan.cells.filter((c) => toScenario(c.scenario).name === scenario.name)) {
      for (const job of [...(cell.reference ? [cell.reference] : []), ...cell.rest]) {
        const r = results.get(job.key);
        if (!r) throw new Error(`jobs: no result for job ${job.key} (${scenario.name} seed ${cell.seed})`);
        if (cell.seed === plan.seeds[0]) sizes ??= r.sizes;
        const record: RunRecord = { seed: r.seed, metrics: r.metrics, timeMs: r.timeMs };
        if (r.kind === 'original') {
          rowOf('original', () => ({ name: 'original', role: 'original', runs: [], summary: {} })).runs.push(record);
          continue;
        }
        if (r.details) record.details = r.details;
        // The report has no column for a search; its runs carry it, so report.json keeps every trial.
        if (r.auto) record.details = { ...r.details, auto: r.auto };
        if (r.kind === 'reference') {
          const cached = info.reused.has(job.key);
          record.cached = cached;
          counts[cached ? 'retrainCacheHits' : 'retrainRuns']++;
        } else if (r.error !== undefined) {
          record.error = r.error;
          counts.failedRuns++;
        } else {
          counts.methodRuns++;
        }
        rowOf(r.row, () => ({ name: r.row, role: r.kind === 'reference' ? 'reference' : 'method', method: r.method?.name, options: r.method?.options, runs: [], summary: {} })).runs.push(record);
      }
    }
    const order = [...(plan.includeOriginal ? ['original'] : []), ...(plan.referenceRow ? [plan.referenceRow.name] : []), ...plan.methodRows];
    const ordered = order.map((n) => rows.get(n)).filter((r): r is RowReport => r !== undefined);
    for (const row of ordered) {
      row.runs.sort((a, b) => plan.seeds.indexOf(a.seed) - plan.seeds.indexOf(b.seed));
      row.summary = Object.fromEntries(metrics.map((m) => [m.id, summarize(row.runs.map((run) => run.metrics[m.id] ?? Number.NaN))]));
    }
    scenarios.push({
      name: scenario.name,
      kind: scenario.kind,
      params: { ...scenario.params },
      sizes: sizes ?? { forgetTrain: 0, retainTrain: 0, forgetTest: 0, retainTest: 0, test: 0 },
      rows: ordered,
    });
  }
  return {
    format: 'unlearn-benchmark',
    version: 1,
    ...(plan.title ? { title: plan.title } : {}),
    createdAt: new Date().toISOString(),
    backend: plan.backend,
    tfjsVersion: tf.version_core,
    seeds: plan.seeds,
    batchSize: plan.batchSize,
    zrfReduction: plan.zrfReduction,
    metrics: metrics.map(({ id, label, description, unit, better, needsRetrained }) => ({ id, label, description, unit, better, needsRetrained })),
    ...(plan.referenceRow ? { retrain: plan.referenceRow } : {}),
    scenarios,
    timings: { totalMs: info.totalMs, ...counts },
  };
}
