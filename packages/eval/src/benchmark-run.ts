import * as tf from '@tensorflow/tfjs-core';
import { EtaEstimator, invalidOption, UnlearnError, type Unlearner } from '@unlearn/core';
import type { BenchmarkOptions } from './benchmark-options.js';
import { resolve } from './benchmark-options.js';
import { computeMetrics } from './evaluate.js';
import type { MetricDefinition, ModelRole } from './metrics.js';
import { DEFAULT_BATCH_SIZE, type PredictOptions } from './predict.js';
import type { Predictor } from './predictor.js';
import type { BenchmarkProgress } from './progress.js';
import type { BenchmarkReport, RowReport, ScenarioReport } from './report.js';
import type { ScenarioSplits } from './scenario.js';
import { summarize } from './stats.js';
import type { ZrfReduction } from './zrf.js';

type Counts = Omit<BenchmarkReport['timings'], 'totalMs'>;

/**
 * One benchmark's settings and what it has gathered so far: the rows, the counts, the cell
 * counter and ETA behind its progress events. `benchmark` walks the grid; the cells fill this.
 */
export class BenchmarkRun {
  readonly started = performance.now();
  readonly seeds: number[];
  readonly batchSize: number;
  readonly predict: PredictOptions;
  readonly zrfReduction: ZrfReduction;
  readonly includeOriginal: boolean;
  readonly continueOnError: boolean;
  readonly methodNames: string[];
  /** The reference's unlearner, built once to check its options; each reference cell builds its own. */
  readonly retrainProbe: Unlearner | undefined;
  readonly referenceName: string | undefined;
  readonly needsRandom: boolean;
  readonly scenarioReports: ScenarioReport[];
  readonly counts: Counts = { retrainRuns: 0, retrainCacheHits: 0, methodRuns: 0, failedRuns: 0 };
  /** 1-based index of the cell being run. */
  cell = 0;
  private readonly total: number;
  readonly eta: EtaEstimator;
  private readonly rows = new Map<string, Map<string, RowReport>>();

  constructor(
    readonly options: BenchmarkOptions,
    readonly metrics: readonly MetricDefinition[],
  ) {
    this.seeds = [...(options.seeds ?? [0])];
    this.batchSize = options.batchSize ?? DEFAULT_BATCH_SIZE;
    this.predict = { batchSize: this.batchSize, threads: options.threads };
    this.zrfReduction = options.zrfReduction ?? 'js';
    this.includeOriginal = options.includeOriginal !== false;
    this.continueOnError = options.continueOnError !== false;
    this.methodNames = Object.keys(options.unlearners);
    this.retrainProbe = checkUnlearners(options, this.methodNames);
    this.referenceName = this.retrainProbe?.name;
    this.needsRandom = metrics.some((m) => m.needsRandom);
    const pairs = options.scenarios.length * this.seeds.length;
    this.total = pairs * (this.methodNames.length + (this.retrainProbe ? 1 : 0));
    this.eta = new EtaEstimator({ reference: this.retrainProbe ? pairs : 0, method: pairs * this.methodNames.length });
    this.scenarioReports = options.scenarios.map((s) => ({
      name: s.name,
      kind: s.kind,
      params: { ...s.params },
      sizes: { forgetTrain: 0, retainTrain: 0, forgetTest: 0, retainTest: 0, test: 0 },
      rows: [],
    }));
  }

  emit(e: Omit<BenchmarkProgress, 'cell' | 'total' | 'elapsedMs' | 'etaMs'>): void {
    this.options.onProgress?.({ ...e, cell: this.cell, total: this.total, elapsedMs: performance.now() - this.started, etaMs: this.eta.estimate() });
  }

  throwIfAborted(): void {
    const { signal } = this.options;
    if (signal?.aborted) throw new UnlearnError('ABORTED', 'The benchmark was aborted', { cause: signal.reason });
  }

  evaluate(
    splits: ScenarioSplits,
    predictors: Partial<Record<ModelRole, Predictor>>,
    timeMs: number,
    retrainTimeMs: number | undefined,
  ): Promise<Record<string, number>> {
    return computeMetrics(this.metrics, splits, predictors, { timeMs, retrainTimeMs }, this.zrfReduction);
  }

  /** The row `name` of `scenario`, made by `init` the first time. */
  row(scenario: string, name: string, init: () => RowReport): RowReport {
    let byName = this.rows.get(scenario);
    if (!byName) {
      byName = new Map();
      this.rows.set(scenario, byName);
    }
    let row = byName.get(name);
    if (!row) {
      row = init();
      byName.set(name, row);
    }
    return row;
  }

  /** The report: each scenario's rows in their fixed order, each with its summary over the seeds. */
  report(): BenchmarkReport {
    const { options, metrics, retrainProbe, referenceName } = this;
    for (const report of this.scenarioReports) {
      const byName = this.rows.get(report.name) ?? new Map<string, RowReport>();
      const order = [...(this.includeOriginal ? ['original'] : []), ...(referenceName ? [referenceName] : []), ...this.methodNames];
      report.rows = order.map((n) => byName.get(n)).filter((r): r is RowReport => r !== undefined);
      for (const row of report.rows) {
        row.summary = Object.fromEntries(metrics.map((m) => [m.id, summarize(row.runs.map((r) => r.metrics[m.id] ?? Number.NaN))]));
      }
    }
    return {
      format: 'unlearn-benchmark',
      version: 1,
      ...(options.title ? { title: options.title } : {}),
      createdAt: new Date().toISOString(),
      backend: tf.getBackend(),
      tfjsVersion: tf.version_core,
      seeds: this.seeds,
      batchSize: this.batchSize,
      zrfReduction: this.zrfReduction,
      metrics: metrics.map(({ id, label, description, unit, better, needsRetrained }) => ({ id, label, description, unit, better, needsRetrained })),
      ...(retrainProbe && referenceName ? { retrain: { name: referenceName, method: retrainProbe.name, options: retrainProbe.options } } : {}),
      scenarios: this.scenarioReports,
      timings: { totalMs: performance.now() - this.started, ...this.counts },
    };
  }
}

/** Builds each method once up front so bad options fail before hours of retraining; returns the reference's unlearner. */
function checkUnlearners(options: BenchmarkOptions, methodNames: string[]): Unlearner | undefined {
  const probe = Object.fromEntries(methodNames.map((name) => [name, resolve(options.unlearners[name]!)]));
  Object.values(probe).forEach((u) => u.validate?.());
  const retrainProbe = options.retrain ? resolve(options.retrain) : undefined;
  retrainProbe?.validate?.();
  const referenceName = retrainProbe?.name;
  if (referenceName && methodNames.includes(referenceName)) {
    throw invalidOption('benchmark', 'unlearners', `names other than "${referenceName}" (the retrained reference's row)`, methodNames);
  }
  return retrainProbe;
}
