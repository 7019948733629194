import { invalidOption, UnlearnError } from '@unlearn/core';
import type { ModelAdapter, UnlearnableModel, Unlearner } from '@unlearn/core';
import type { RetrainCache } from './cache.js';
import type { EvalData } from './data.js';
import type { MetricDefinition } from './metrics.js';
import { checkBatchSize, DEFAULT_BATCH_SIZE } from './predict.js';
import type { BenchmarkProgress } from './progress.js';
import type { Scenario } from './scenario.js';
import type { ZrfReduction } from './zrf.js';

export type MaybeFactory = Unlearner | (() => Unlearner);
export type ModelSource = UnlearnableModel | ModelAdapter;

export interface BenchmarkOptions {
  /** The trained model every method starts from (never changed: methods work on copies). */
  model?: UnlearnableModel;
  /** Or: builds the trained model for a seed (called once per seed; the benchmark disposes it). */
  modelFactory?: (seed: number) => UnlearnableModel | Promise<UnlearnableModel>;
  /** The train set the model was fitted on and a held-out test set, labelled. */
  data: EvalData;
  scenarios: readonly Scenario[];
  /** Methods under test by row name; a factory gives each run a fresh unlearner. */
  unlearners: Readonly<Record<string, MaybeFactory>>;
  /** Seeds of the grid (default [0]); each seeds the methods, the retraining and seeded scenarios. */
  seeds?: readonly number[];
  /** The reference (gold standard): usually a retrain from scratch on Dr. Computed once per scenario and seed. */
  retrain?: MaybeFactory;
  /** Where retrained references are kept between runs (`@unlearn/eval/node` adds `cacheDir`). */
  cache?: RetrainCache;
  /** Metrics to compute (default: all of `builtinMetrics`). */
  metrics?: readonly MetricDefinition[];
  /** The randomly initialised network for ZRF (default: `randomlyInitialised(model, seed)`). */
  randomModel?: (seed: number) => ModelSource | Promise<ModelSource>;
  /** Add a row for the model before unlearning (default true). */
  includeOriginal?: boolean;
  /** Batch size of the metric passes (default 256; the values do not depend on it). */
  batchSize?: number;
  /** Threads for the metric passes (see `PredictOptions.threads`; the values do not depend on it). */
  threads?: number;
  zrfReduction?: ZrfReduction;
  /** Keep going when a method throws, recording the error in its run (default true). Aborts always stop. */
  continueOnError?: boolean;
  title?: string;
  signal?: AbortSignal;
  onProgress?: (event: BenchmarkProgress) => void;
}

export const resolve = (u: MaybeFactory): Unlearner => (typeof u === 'function' ? u() : u);

export function validateOptions(options: BenchmarkOptions, metrics: readonly MetricDefinition[]): void {
  const where = 'benchmark';
  if ('cacheDir' in options && (options as { cacheDir?: unknown }).cacheDir !== undefined) {
    throw new UnlearnError(
      'INVALID_OPTION',
      'benchmark: cacheDir needs the file system; import { benchmark } from "@unlearn/eval/node", or pass a RetrainCache as cache',
    );
  }
  if ((options.model === undefined) === (options.modelFactory === undefined)) {
    throw new UnlearnError('INVALID_OPTION', 'benchmark: give exactly one of model (the trained model) or modelFactory(seed)');
  }
  for (const split of ['train', 'test'] as const) {
    const set = options.data?.[split];
    if (!set?.x || !set.y) {
      throw new UnlearnError('MISSING_DATA', `benchmark: data must be { train: { x, y }, test: { x, y } } (data.${split}.${set?.x ? 'y' : 'x'} is missing)`, {
        split,
        field: set?.x ? 'y' : 'x',
      });
    }
  }
  if (!options.scenarios?.length) throw invalidOption(where, 'scenarios', 'a non-empty list of scenarios', options.scenarios);
  const names = Object.keys(options.unlearners ?? {});
  if (names.length === 0) throw invalidOption(where, 'unlearners', 'a non-empty { name: unlearner } object', options.unlearners);
  const seeds = options.seeds ?? [0];
  if (seeds.length === 0 || seeds.some((s) => !Number.isInteger(s) || s < 0)) {
    throw invalidOption(where, 'seeds', 'a non-empty list of non-negative integers', seeds);
  }
  if (new Set(seeds).size !== seeds.length) throw invalidOption(where, 'seeds', 'distinct seeds', seeds);
  const scenarioNames = options.scenarios.map((s) => s.name);
  if (new Set(scenarioNames).size !== scenarioNames.length) throw invalidOption(where, 'scenarios', 'scenarios with distinct names', scenarioNames);
  checkBatchSize(options.batchSize ?? DEFAULT_BATCH_SIZE, where);
  if (options.threads !== undefined && (!Number.isInteger(options.threads) || options.threads < 1)) {
    throw invalidOption(where, 'threads', 'a positive integer', options.threads);
  }
  const ids = metrics.map((m) => m.id);
  if (new Set(ids).size !== ids.length) throw invalidOption(where, 'metrics', 'metrics with distinct ids', ids);
  if (!options.retrain) {
    const needing = metrics.filter((m) => m.needsRetrained).map((m) => m.id);
    if (needing.length > 0) {
      throw new UnlearnError(
        'MISSING_DATA',
        `benchmark: the metrics ${needing.join(', ')} compare against a retrained model, but no retrain unlearner was given; pass retrain (e.g. retrain() from @unlearn/retrain) or leave those metrics out`,
      );
    }
  }
  if (options.includeOriginal !== false && names.includes('original')) {
    throw invalidOption(where, 'unlearners', 'names other than "original" (the row of the model before unlearning)', names);
  }
}

