import * as tf from '@tensorflow/tfjs-core';
import { EtaEstimator, hashWeights, invalidOption, isUnlearnError, toModelAdapter, unlearn, UnlearnError } from '@unlearn/core';
import type { ForgetRequest, ModelAdapter } from '@unlearn/core';
import type { BenchmarkOptions } from './benchmark-options.js';
import { resolve, validateOptions } from './benchmark-options.js';
import { computeMetrics } from './evaluate.js';
import type { ModelRole } from './metrics.js';
import { defaultMetrics } from './metrics.js';
import { DEFAULT_BATCH_SIZE } from './predict.js';
import { Predictor } from './predictor.js';
import type { BenchmarkProgress } from './progress.js';
import { randomlyInitialised } from './random-init.js';
import { obtainReference } from './reference.js';
import type { BenchmarkReport, RowReport, RunRecord, ScenarioReport } from './report.js';
import type { ScenarioSplits } from './scenario.js';
import { summarize } from './stats.js';

export type { BenchmarkOptions } from './benchmark-options.js';

/**
 * Runs every method on every scenario and seed with core's `unlearn()`, computes the retrained
 * reference once per scenario and seed (or reads it from `cache`), evaluates each resulting
 * model with `metrics`, and returns every number with its mean and spread over the seeds.
 */
export async function benchmark(options: BenchmarkOptions): Promise<BenchmarkReport> {
  const metrics = options.metrics ?? defaultMetrics;
  validateOptions(options, metrics);
  const started = performance.now();
  const seeds = [...(options.seeds ?? [0])];
  const batchSize = options.batchSize ?? DEFAULT_BATCH_SIZE;
  const predict = { batchSize, threads: options.threads };
  const zrfReduction = options.zrfReduction ?? 'js';
  const includeOriginal = options.includeOriginal !== false;
  const continueOnError = options.continueOnError !== false;
  const { data, signal } = options;
  const methodNames = Object.keys(options.unlearners);

  // Build each method once up front so bad options fail before hours of retraining.
  const probe = Object.fromEntries(methodNames.map((name) => [name, resolve(options.unlearners[name]!)]));
  Object.values(probe).forEach((u) => u.validate?.());
  const retrainProbe = options.retrain ? resolve(options.retrain) : undefined;
  retrainProbe?.validate?.();
  const referenceName = retrainProbe?.name;
  if (referenceName && methodNames.includes(referenceName)) {
    throw invalidOption('benchmark', 'unlearners', `names other than "${referenceName}" (the retrained reference's row)`, methodNames);
  }

  const needsRandom = metrics.some((m) => m.needsRandom);
  const cellsPerPair = methodNames.length + (retrainProbe ? 1 : 0);
  const total = options.scenarios.length * seeds.length * cellsPerPair;
  const eta = new EtaEstimator({
    reference: retrainProbe ? options.scenarios.length * seeds.length : 0,
    method: options.scenarios.length * seeds.length * methodNames.length,
  });
  let cell = 0;
  const counts = { retrainRuns: 0, retrainCacheHits: 0, methodRuns: 0, failedRuns: 0 };

  const rows = new Map<string, Map<string, RowReport>>();
  const scenarioReports: ScenarioReport[] = options.scenarios.map((s) => ({
    name: s.name,
    kind: s.kind,
    params: { ...s.params },
    sizes: { forgetTrain: 0, retainTrain: 0, forgetTest: 0, retainTest: 0, test: 0 },
    rows: [],
  }));
  const rowOf = (scenario: string, name: string, init: () => RowReport): RowReport => {
    let byName = rows.get(scenario);
    if (!byName) rows.set(scenario, (byName = new Map()));
    let row = byName.get(name);
    if (!row) byName.set(name, (row = init()));
    return row;
  };

  const emit = (e: Omit<BenchmarkProgress, 'cell' | 'total' | 'elapsedMs' | 'etaMs'>) =>
    options.onProgress?.({ ...e, cell, total, elapsedMs: performance.now() - started, etaMs: eta.estimate() });
  const throwIfAborted = () => {
    if (signal?.aborted) throw new UnlearnError('ABORTED', 'The benchmark was aborted', { cause: signal.reason });
  };

  const evaluate = (
    splits: ScenarioSplits,
    predictors: Partial<Record<ModelRole, Predictor>>,
    timeMs: number,
    retrainTimeMs: number | undefined,
  ): Promise<Record<string, number>> => computeMetrics(metrics, splits, predictors, { timeMs, retrainTimeMs }, zrfReduction);

  for (const seed of seeds) {
    throwIfAborted();
    const ownsModel = options.model === undefined;
    const originalModel = options.model ?? (await options.modelFactory!(seed));
    const original = toModelAdapter(originalModel);
    let random: ModelAdapter | undefined;
    try {
      const originalPredictor = new Predictor(original, data, predict);
      if (needsRandom) {
        random = toModelAdapter(options.randomModel ? await options.randomModel(seed) : await randomlyInitialised(original, seed));
      }
      const randomPredictor = random ? new Predictor(random, data, predict) : undefined;
      const weightsHash = options.cache && retrainProbe ? await hashWeights(original) : undefined;

      for (const [si, scenario] of options.scenarios.entries()) {
        throwIfAborted();
        const splits = await scenario.split(data, seed);
        const report = scenarioReports[si]!;
        if (seed === seeds[0]) {
          for (const key of Object.keys(report.sizes) as (keyof typeof report.sizes)[]) report.sizes[key] = splits[key].indices.length;
        }
        const request: ForgetRequest = {
          forget: { x: splits.forgetTrain.x, y: splits.forgetTrain.y },
          retain: { x: splits.retainTrain.x, y: splits.retainTrain.y },
          train: { x: data.train.x, y: data.train.y },
        };
        let retrained: ModelAdapter | undefined;
        let retrainedPredictor: Predictor | undefined;
        try {
          let retrainTimeMs: number | undefined;
          if (retrainProbe && referenceName) {
            cell++;
            const cellStart = performance.now();
            const base = { scenario: scenario.name, seed, method: referenceName, role: 'reference' as const };
            const reference = await obtainReference({
              model: originalModel,
              weightsHash,
              scenario,
              splits,
              request,
              retrain: resolve(options.retrain!),
              seed,
              cache: options.cache,
              signal,
              onStart: () => emit({ ...base, status: 'start' }),
              onProgress: (step) => emit({ ...base, status: 'running', step }),
            });
            retrained = reference.model;
            retrainTimeMs = reference.timeMs;
            counts[reference.cached ? 'retrainCacheHits' : 'retrainRuns']++;
            const record: RunRecord = { seed, metrics: {}, timeMs: reference.timeMs, cached: reference.cached };
            if (reference.details) record.details = reference.details;
            eta.finish('reference', performance.now() - cellStart);
            emit({ ...base, status: reference.cached ? 'cached' : 'done' });
            retrainedPredictor = new Predictor(retrained, data, predict);
            const predictors = { model: retrainedPredictor, retrained: retrainedPredictor, random: randomPredictor };
            record.metrics = await evaluate(splits, predictors, retrainTimeMs, retrainTimeMs);
            rowOf(scenario.name, referenceName, () => ({
              name: referenceName,
              role: 'reference',
              method: retrainProbe.name,
              options: retrainProbe.options,
              runs: [],
              summary: {},
            })).runs.push(record);
          }
          if (includeOriginal) {
            const m = await evaluate(
              splits,
              { model: originalPredictor, retrained: retrainedPredictor, random: randomPredictor },
              Number.NaN,
              retrainTimeMs,
            );
            rowOf(scenario.name, 'original', () => ({ name: 'original', role: 'original', runs: [], summary: {} })).runs.push({
              seed,
              metrics: m,
              timeMs: Number.NaN,
            });
          }

          for (const name of methodNames) {
            throwIfAborted();
            cell++;
            const cellStart = performance.now();
            const unlearner = resolve(options.unlearners[name]!);
            const base = { scenario: scenario.name, seed, method: name, role: 'method' as const };
            const row = rowOf(scenario.name, name, () => ({
              name,
              role: 'method',
              method: unlearner.name,
              options: unlearner.options,
              runs: [],
              summary: {},
            }));
            emit({ ...base, status: 'start' });
            let resultModel: ModelAdapter | undefined;
            try {
              const result = await unlearn(originalModel, request, unlearner, {
                seed,
                signal,
                onProgress: (step) => emit({ ...base, status: 'running', step }),
              });
              resultModel = toModelAdapter(result.model);
              counts.methodRuns++;
              const m = await evaluate(
                splits,
                { model: new Predictor(resultModel, data, predict), retrained: retrainedPredictor, random: randomPredictor },
                result.timeMs,
                retrainTimeMs,
              );
              row.runs.push({ seed, metrics: m, timeMs: result.timeMs, details: result.details });
              eta.finish('method', performance.now() - cellStart);
              emit({ ...base, status: 'done' });
            } catch (error) {
              if (isUnlearnError(error, 'ABORTED') || !continueOnError) throw error;
              counts.failedRuns++;
              row.runs.push({ seed, metrics: {}, timeMs: Number.NaN, error: error instanceof Error ? error.message : String(error) });
              eta.finish('method', performance.now() - cellStart);
              emit({ ...base, status: 'failed' });
            } finally {
              resultModel?.dispose();
            }
          }
        } finally {
          retrained?.dispose();
          splits.dispose();
        }
      }
    } finally {
      random?.dispose();
      if (ownsModel) original.dispose();
    }
  }

  for (const report of scenarioReports) {
    const byName = rows.get(report.name) ?? new Map<string, RowReport>();
    const order = [...(includeOriginal ? ['original'] : []), ...(referenceName ? [referenceName] : []), ...methodNames];
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
    seeds,
    batchSize,
    zrfReduction,
    metrics: metrics.map(({ id, label, description, unit, better, needsRetrained }) => ({ id, label, description, unit, better, needsRetrained })),
    ...(retrainProbe && referenceName ? { retrain: { name: referenceName, method: retrainProbe.name, options: retrainProbe.options } } : {}),
    scenarios: scenarioReports,
    timings: { totalMs: performance.now() - started, ...counts },
  };
}
