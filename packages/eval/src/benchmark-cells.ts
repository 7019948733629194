import { isUnlearnError, unlearn, type ForgetRequest, type ModelAdapter } from '@unlearn/core';
import { resolve } from './benchmark-options.js';
import type { BenchmarkRun } from './benchmark-run.js';
import { Predictor } from './predictor.js';
import { obtainReference, type Reference } from './reference.js';
import type { RunRecord } from './report.js';
import type { Scenario, ScenarioSplits } from './scenario.js';

/** What every cell of one (scenario, seed) pair shares. */
export interface PairContext {
  scenario: Scenario;
  seed: number;
  splits: ScenarioSplits;
  request: ForgetRequest;
  /** The trained model's adapter. */
  original: ModelAdapter;
  originalPredictor: Predictor;
  randomPredictor: Predictor | undefined;
  /** `hashWeights` of the original, when a cache keys the references by it. */
  weightsHash: string | undefined;
}

/** The retrained reference of a pair, from the cache or trained now; the caller disposes its model. */
export async function referenceCell(run: BenchmarkRun, pair: PairContext, referenceName: string): Promise<Reference> {
  const { scenario, seed } = pair;
  run.cell++;
  const cellStart = performance.now();
  const base = { scenario: scenario.name, seed, method: referenceName, role: 'reference' as const };
  const reference = await obtainReference({
    model: pair.original,
    weightsHash: pair.weightsHash,
    scenario,
    splits: pair.splits,
    request: pair.request,
    retrain: resolve(run.options.retrain!),
    seed,
    cache: run.options.cache,
    signal: run.options.signal,
    onStart: () => run.emit({ ...base, status: 'start' }),
    onProgress: (step) => run.emit({ ...base, status: 'running', step }),
  });
  run.counts[reference.cached ? 'retrainCacheHits' : 'retrainRuns']++;
  run.eta.finish('reference', performance.now() - cellStart);
  run.emit({ ...base, status: reference.cached ? 'cached' : 'done' });
  return reference;
}

/** The reference's own row: its metrics against itself. */
export async function recordReference(run: BenchmarkRun, pair: PairContext, reference: Reference, predictor: Predictor): Promise<void> {
  const { retrainProbe, referenceName } = run;
  const record: RunRecord = { seed: pair.seed, metrics: {}, timeMs: reference.timeMs, cached: reference.cached };
  if (reference.details) record.details = reference.details;
  const predictors = { model: predictor, retrained: predictor, random: pair.randomPredictor };
  record.metrics = await run.evaluate(pair.splits, predictors, reference.timeMs, reference.timeMs);
  run
    .row(pair.scenario.name, referenceName!, () => ({
      name: referenceName!,
      role: 'reference',
      method: retrainProbe!.name,
      options: retrainProbe!.options,
      runs: [],
      summary: {},
    }))
    .runs.push(record);
}

/** The row of the model before unlearning. */
export async function originalCell(run: BenchmarkRun, pair: PairContext, retrained: Predictor | undefined, retrainTimeMs: number | undefined): Promise<void> {
  const predictors = { model: pair.originalPredictor, retrained, random: pair.randomPredictor };
  const metrics = await run.evaluate(pair.splits, predictors, Number.NaN, retrainTimeMs);
  run
    .row(pair.scenario.name, 'original', () => ({ name: 'original', role: 'original', runs: [], summary: {} }))
    .runs.push({ seed: pair.seed, metrics, timeMs: Number.NaN });
}

/** One method on one pair: unlearn a copy of the original, evaluate it, record the run or its error. */
export async function methodCell(
  run: BenchmarkRun,
  pair: PairContext,
  name: string,
  retrained: Predictor | undefined,
  retrainTimeMs: number | undefined,
): Promise<void> {
  const { scenario, seed } = pair;
  run.cell++;
  const cellStart = performance.now();
  const unlearner = resolve(run.options.unlearners[name]!);
  const base = { scenario: scenario.name, seed, method: name, role: 'method' as const };
  const row = run.row(scenario.name, name, () => ({
    name,
    role: 'method',
    method: unlearner.name,
    options: unlearner.options,
    runs: [],
    summary: {},
  }));
  run.emit({ ...base, status: 'start' });
  let resultModel: ModelAdapter | undefined;
  try {
    const result = await unlearn(pair.original, pair.request, unlearner, {
      seed,
      signal: run.options.signal,
      onProgress: (step) => run.emit({ ...base, status: 'running', step }),
    });
    resultModel = result.model;
    run.counts.methodRuns++;
    const predictors = { model: new Predictor(resultModel, run.options.data, run.predict), retrained, random: pair.randomPredictor };
    const metrics = await run.evaluate(pair.splits, predictors, result.timeMs, retrainTimeMs);
    row.runs.push({ seed, metrics, timeMs: result.timeMs, details: result.details });
    run.eta.finish('method', performance.now() - cellStart);
    run.emit({ ...base, status: 'done' });
  } catch (error) {
    if (isUnlearnError(error, 'ABORTED') || !run.continueOnError) throw error;
    run.counts.failedRuns++;
    row.runs.push({ seed, metrics: {}, timeMs: Number.NaN, error: error instanceof Error ? error.message : String(error) });
    run.eta.finish('method', performance.now() - cellStart);
    run.emit({ ...base, status: 'failed' });
  } finally {
    resultModel?.dispose();
  }
}
