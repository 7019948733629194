import { hashWeights, toModelAdapter } from '@unlearn/core';
import type { ForgetRequest, ModelAdapter } from '@unlearn/core';
import type { BenchmarkOptions } from './benchmark-options.js';
import { validateOptions } from './benchmark-options.js';
import { methodCell, originalCell, recordReference, referenceCell, type PairContext } from './benchmark-cells.js';
import { BenchmarkRun } from './benchmark-run.js';
import type { EvalData } from './data.js';
import { defaultMetrics } from './metrics.js';
import { Predictor } from './predictor.js';
import { randomlyInitialised } from './random-init.js';
import type { BenchmarkReport, ScenarioReport } from './report.js';
import type { ScenarioSplits } from './scenario.js';

export type { BenchmarkOptions } from './benchmark-options.js';

/**
 * Runs every method on every scenario and seed with core's `unlearn()`, computes the retrained
 * reference once per scenario and seed (or reads it from `cache`), evaluates each resulting
 * model with `metrics`, and returns every number with its mean and spread over the seeds.
 */
export async function benchmark(options: BenchmarkOptions): Promise<BenchmarkReport> {
  const metrics = options.metrics ?? defaultMetrics;
  validateOptions(options, metrics);
  const run = new BenchmarkRun(options, metrics);
  for (const seed of run.seeds) {
    run.throwIfAborted();
    await runSeed(run, seed);
  }
  return run.report();
}

/** Every scenario for one seed, on that seed's trained model (built here with `modelFactory`, and then disposed). */
async function runSeed(run: BenchmarkRun, seed: number): Promise<void> {
  const { options } = run;
  const ownsModel = options.model === undefined;
  const originalModel = options.model ?? (await options.modelFactory!(seed));
  const original = toModelAdapter(originalModel);
  let random: ModelAdapter | undefined;
  try {
    const originalPredictor = new Predictor(original, options.data, run.predict);
    if (run.needsRandom) {
      random = toModelAdapter(options.randomModel ? await options.randomModel(seed) : await randomlyInitialised(original, seed));
    }
    const randomPredictor = random ? new Predictor(random, options.data, run.predict) : undefined;
    const weightsHash = options.cache && run.retrainProbe ? await hashWeights(original) : undefined;
    for (const [si, scenario] of options.scenarios.entries()) {
      run.throwIfAborted();
      const splits = await scenario.split(options.data, seed);
      const request = forgetRequest(splits, options.data);
      const pair: PairContext = { scenario, seed, splits, request, original, originalPredictor, randomPredictor, weightsHash };
      await runPair(run, pair, run.scenarioReports[si]!);
    }
  } finally {
    random?.dispose();
    if (ownsModel) original.dispose();
  }
}

/** The cells of one (scenario, seed) pair: the reference, the original model, then each method. Frees the splits. */
async function runPair(run: BenchmarkRun, pair: PairContext, report: ScenarioReport): Promise<void> {
  if (pair.seed === run.seeds[0]) recordSizes(report, pair.splits);
  let retrained: ModelAdapter | undefined;
  try {
    let retrainedPredictor: Predictor | undefined;
    let retrainTimeMs: number | undefined;
    if (run.retrainProbe && run.referenceName) {
      const reference = await referenceCell(run, pair, run.referenceName);
      retrained = reference.model;
      retrainTimeMs = reference.timeMs;
      retrainedPredictor = new Predictor(retrained, run.options.data, run.predict);
      await recordReference(run, pair, reference, retrainedPredictor);
    }
    if (run.includeOriginal) await originalCell(run, pair, retrainedPredictor, retrainTimeMs);
    for (const name of run.methodNames) {
      run.throwIfAborted();
      await methodCell(run, pair, name, retrainedPredictor, retrainTimeMs);
    }
  } finally {
    retrained?.dispose();
    pair.splits.dispose();
  }
}

function recordSizes(report: ScenarioReport, splits: ScenarioSplits): void {
  for (const key of Object.keys(report.sizes) as (keyof typeof report.sizes)[]) report.sizes[key] = splits[key].indices.length;
}

function forgetRequest(splits: ScenarioSplits, data: EvalData): ForgetRequest {
  return {
    forget: { x: splits.forgetTrain.x, y: splits.forgetTrain.y },
    retain: { x: splits.retainTrain.x, y: splits.retainTrain.y },
    train: { x: data.train.x, y: data.train.y },
  };
}
