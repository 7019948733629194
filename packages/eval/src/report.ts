import type { MetricDirection, MetricUnit } from './metrics.js';
import type { ScenarioKind, SplitName } from './scenario.js';
import type { Summary } from './stats.js';
import type { ZrfReduction } from './zrf.js';

/** A metric as recorded in a report (its definition without the code). */
export interface MetricInfo {
  id: string;
  label: string;
  description: string;
  unit: MetricUnit;
  better: MetricDirection;
  needsRetrained: boolean;
}

/** One (scenario, seed, row) cell of the grid. */
export interface RunRecord {
  seed: number;
  /** Metric id → value; NaN where it does not apply (e.g. the time of the original model). */
  metrics: Record<string, number>;
  /** Wall time of the unlearning step (NaN for the original model). */
  timeMs: number;
  /** The retrained reference came from the cache instead of being trained again. */
  cached?: boolean;
  /** Set when the method failed; the run then has no metrics. */
  error?: string;
  /** Method-specific facts from `UnlearnResult.details`. */
  details?: Record<string, unknown>;
}

/**
 * - `original`: the trained model before unlearning;
 * - `reference`: the retrained model, the target for every "closer-to-retrain" metric;
 * - `method`: an unlearning method under test.
 */
export type RowRole = 'original' | 'reference' | 'method';

export interface RowReport {
  /** Name in tables (the key given in `unlearners`, or the reference method's name). */
  name: string;
  role: RowRole;
  /** The unlearner's own name and options (absent for the original model). */
  method?: string;
  options?: unknown;
  runs: RunRecord[];
  /** Metric id → mean and spread over the seeds. */
  summary: Record<string, Summary>;
}

export interface ScenarioReport {
  name: string;
  kind: ScenarioKind;
  params: Record<string, unknown>;
  /** Split sizes (of the first seed; only seeded scenarios change rows between seeds, not sizes). */
  sizes: Record<SplitName, number>;
  /** The original model first, then the reference, then the methods in the order given. */
  rows: RowReport[];
}

/** Everything a benchmark measured, JSON-safe apart from NaN/Infinity (see `toJson`). */
export interface BenchmarkReport {
  format: 'unlearn-benchmark';
  version: 1;
  title?: string;
  createdAt: string;
  backend: string;
  tfjsVersion: string;
  seeds: number[];
  batchSize: number;
  zrfReduction: ZrfReduction;
  metrics: MetricInfo[];
  retrain?: { name: string; method: string; options: unknown };
  scenarios: ScenarioReport[];
  timings: {
    /** Wall time of the whole benchmark, metrics and retraining included. */
    totalMs: number;
    /** Retrained references computed in this run, and read from the cache. */
    retrainRuns: number;
    retrainCacheHits: number;
    methodRuns: number;
    failedRuns: number;
  };
}

/** The retrained reference row of a scenario, if the benchmark had one. */
export function referenceRow(scenario: ScenarioReport): RowReport | undefined {
  return scenario.rows.find((r) => r.role === 'reference');
}
