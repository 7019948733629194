import * as tf from '@tensorflow/tfjs-core';
import { checkSeed, createUnlearner, invalidOption, MAX_SEED, UnlearnError } from '@unlearn/core';
import type { ModelAdapter, UnlearnableModel } from '@unlearn/core';
import { DEFAULT_BATCH_SIZE } from '@unlearn/eval';
import type { EvalData, ReferenceSide, ScenarioSplits } from '@unlearn/eval';
import type { JobDriver, JobEvent, PlannedJob } from './driver.js';
import { methodSpec } from './method-spec.js';
import type { MethodChoice } from './plan.js';
import type { JobResult } from './result.js';
import { toScenario } from './scenarios.js';
import { jobKey, type JobSpec, type ScenarioSpec } from './spec.js';
import { putEvalData, type JobStore } from './store.js';

export interface ReferenceModelsOptions {
  /** The trained model every unlearned model starts from (and whose architecture retraining re-initialises). */
  model: UnlearnableModel | ModelAdapter;
  data: EvalData;
  store: JobStore;
  driver: JobDriver;
  scenario: ScenarioSpec;
  /** Seed of the split: every model of the set forgets the same examples (default 0). */
  seed?: number;
  /** Models per side: ulira's K, neuripsScore's N. Model `index` of either side runs with seed `index`. */
  k: number;
  /** The positive side ("unlearned"): a method run on `model`. */
  unlearn: MethodChoice;
  /** The negative side ("retrained"; default `{ name: 'retrain' }`). */
  retrain?: MethodChoice;
  /** tfjs backend of every job (default: this process's). */
  backend?: string;
  signal?: AbortSignal;
  onProgress?: (event: JobEvent) => void;
}

/** K trained models per side, kept in the store, and the ways ulira and neuripsScore read them. */
export interface ReferenceModels {
  k: number;
  jobs: Record<ReferenceSide, PlannedJob[]>;
  results: Record<ReferenceSide, JobResult[]>;
  /** ulira's `train`: loads stored model `index` of `side` (ulira disposes it). */
  train(args: { side: ReferenceSide; index: number }): Promise<ModelAdapter>;
  /** Every model of one side, loaded (neuripsScore's `unlearned` or `retrained`); the caller disposes them. */
  load(side: ReferenceSide): Promise<ModelAdapter[]>;
  /** The scenario's split of `data` (ulira's examples: `forgetTrain`; neuripsScore's forget, retain, test); the caller disposes it. */
  splits(): Promise<ScenarioSplits>;
}

/**
 * Trains the 2K models of a per-example attack (`ulira`) or of the NeurIPS score (`neuripsScore`)
 * as jobs, through either driver: side `positive` runs `unlearn` on the model, side `negative`
 * runs `retrain`, each K times with run seeds 0..K−1 on one split, and every model is kept in the
 * store. Keys depend on the index, so a set of K = 16 reuses the 8 models of an earlier K = 8.
 */
export async function trainReferenceModels(options: ReferenceModelsOptions): Promise<ReferenceModels> {
  const { store, driver, k } = options;
  // Model `index` runs with seed `index`, so the largest index must be a seed too.
  if (!Number.isSafeInteger(k) || k < 1 || k - 1 > MAX_SEED) throw invalidOption('jobs', 'k', 'an integer >= 1 (models per side)', k);
  const seed = options.seed ?? 0;
  checkSeed(seed, 'jobs');
  const sides: Record<ReferenceSide, MethodChoice> = { positive: options.unlearn, negative: options.retrain ?? { name: 'retrain' } };
  // methodSpec refuses options that touch files before anything is built or queued.
  const methods = { positive: methodSpec(sides.positive.name, sides.positive), negative: methodSpec(sides.negative.name, sides.negative) };
  for (const choice of Object.values(sides)) createUnlearner(choice.name, choice.options ?? {}).validate?.();
  const common = {
    format: 'unlearn-job' as const,
    version: 1 as const,
    model: await store.putModel(options.model),
    data: await putEvalData(store, options.data),
    scenario: options.scenario,
    seed,
    // Only the models are wanted: ulira and neuripsScore read them.
    metrics: [],
    eval: { batchSize: DEFAULT_BATCH_SIZE, zrfReduction: 'js' as const },
    backend: options.backend ?? tf.getBackend(),
    produce: { model: true },
  };
  const planned = async (side: ReferenceSide, index: number): Promise<PlannedJob> => {
    const method = methods[side];
    // The retrained side is the grid's reference kind (trained on Dr, kept); the other a kept method run.
    const spec: JobSpec = { ...common, kind: side === 'negative' ? 'reference' : 'method', runSeed: index, method };
    return { key: await jobKey(spec), spec };
  };
  const jobs: Record<ReferenceSide, PlannedJob[]> = { positive: [], negative: [] };
  for (let index = 0; index < k; index++) {
    for (const side of ['positive', 'negative'] as const) jobs[side].push(await planned(side, index));
  }
  const hooks = { ...(options.signal ? { signal: options.signal } : {}), ...(options.onProgress ? { onEvent: options.onProgress } : {}) };
  // Interleaved as ulira trains them, so the first of each side finishes first.
  const all = await driver.run(
    jobs.positive.flatMap((p, i) => [p, jobs.negative[i]!]),
    hooks,
  );
  const results = { positive: all.filter((_, i) => i % 2 === 0), negative: all.filter((_, i) => i % 2 === 1) };

  const loadOne = async (side: ReferenceSide, index: number) => {
    const r = results[side][index];
    if (!r) throw invalidOption('jobs', 'index', `an index below ${k}`, index);
    if (r.error !== undefined) throw new UnlearnError('MISSING_DATA', `jobs: ${side} model ${index} (${r.row}, run seed ${index}) failed: ${r.error}`);
    return store.loadResultModel(r.key);
  };
  return {
    k,
    jobs,
    results,
    train: ({ side, index }) => loadOne(side, index),
    async load(side) {
      const models: ModelAdapter[] = [];
      try {
        for (let i = 0; i < k; i++) models.push(await loadOne(side, i));
      } catch (error) {
        for (const m of models) m.dispose();
        throw error;
      }
      return models;
    },
    splits: () => toScenario(options.scenario).split(options.data, seed),
  };
}
