import type { ModelAdapter } from '@unlearn/core';
import { UnlearnError } from '@unlearn/core';
import type { EvalData } from './data.js';
import type { MetricContext, MetricDefinition, ModelRole } from './metrics.js';
import type { PredictOptions } from './predict.js';
import { Predictor } from './predictor.js';
import type { ScenarioSplits } from './scenario.js';
import type { ZrfReduction } from './zrf.js';

/** The metrics of one run from memoised predictors; `benchmark` shares the predictors between rows. */
export async function computeMetrics(
  metrics: readonly MetricDefinition[],
  splits: ScenarioSplits,
  predictors: Partial<Record<ModelRole, Predictor>>,
  timing: { timeMs: number; retrainTimeMs: number | undefined },
  zrfReduction: ZrfReduction,
): Promise<Record<string, number>> {
  const ctx: MetricContext = {
    splits,
    timeMs: timing.timeMs,
    retrainTimeMs: timing.retrainTimeMs,
    zrfReduction,
    probabilities(role, split) {
      const p = predictors[role];
      if (!p) throw new UnlearnError('MISSING_DATA', `metric needs the ${role} model, which this benchmark does not have`);
      return p.on(splits[split]);
    },
  };
  const out: Record<string, number> = {};
  for (const m of metrics) out[m.id] = await m.compute(ctx);
  return out;
}

export interface EvaluateRunOptions {
  metrics: readonly MetricDefinition[];
  data: EvalData;
  splits: ScenarioSplits;
  /** The evaluated model, and the retrained reference and random network where metrics need them. */
  models: { model: ModelAdapter; retrained?: ModelAdapter; random?: ModelAdapter };
  /** The unlearning step's time (NaN for the model before unlearning) and the reference's. */
  timeMs: number;
  retrainTimeMs: number | undefined;
  zrfReduction?: ZrfReduction;
  predict?: PredictOptions;
}

/**
 * One cell of the benchmark grid computed on its own, exactly as `benchmark` computes it: the job
 * runner (@unlearn/jobs) evaluates each run in whichever process ran it, and its numbers must equal
 * the single-process benchmark's.
 */
export function evaluateRun(options: EvaluateRunOptions): Promise<Record<string, number>> {
  const { data, models } = options;
  const predict = options.predict ?? {};
  const predictors: Partial<Record<ModelRole, Predictor>> = { model: new Predictor(models.model, data, predict) };
  // The reference's own row compares it with itself: one predictor, one pass.
  if (models.retrained) predictors.retrained = models.retrained === models.model ? predictors.model : new Predictor(models.retrained, data, predict);
  if (models.random) predictors.random = new Predictor(models.random, data, predict);
  return computeMetrics(
    options.metrics,
    options.splits,
    predictors,
    { timeMs: options.timeMs, retrainTimeMs: options.retrainTimeMs },
    options.zrfReduction ?? 'js',
  );
}
