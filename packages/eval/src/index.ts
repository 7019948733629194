export type { EvalData, LabelledData } from './data.js';

export type { Scenario, ScenarioKind, ScenarioLabels, ScenarioSplits, Split, SplitIndices, SplitName } from './scenario.js';
export { defineScenario } from './scenario.js';
export { fullClass } from './full-class.js';
export { subClass } from './sub-class.js';
export type { SubClassOptions } from './sub-class.js';
export { forgetCount, randomSamples } from './random-samples.js';
export type { RandomSamplesSize } from './random-samples.js';
export { customSplit } from './custom-split.js';
export type { CustomSplitOptions } from './custom-split.js';

export { AUTO_PARALLEL_PREDICT_ROWS, DEFAULT_BATCH_SIZE, predictProbabilities, selectRows } from './predict.js';
export type { PredictOptions, Probabilities } from './predict.js';
export { accuracy, accuracyFromProbabilities } from './accuracy.js';
export { entropies } from './entropy.js';
export { fitLogistic1d, logisticPredict, logisticProbability } from './logistic.js';
export type { LogisticFit, LogisticOptions } from './logistic.js';
export { membershipInference, membershipInferenceFromEntropies } from './mia.js';
export type { MiaFeatures, MiaResult } from './mia.js';
export { CONFIDENCE_FLOOR, logitScaledConfidence, logitScaledConfidenceFromLogits } from './confidence.js';
export { DEFAULT_LOW_FPRS, rocAuc, rocCurve, smallestResolvableFpr, tprAtFpr } from './roc.js';
export type { RocCurve } from './roc.js';
export { fitGaussians, LIRA_VARIANCE_FLOOR, likelihoodRatios, uliraFromConfidences } from './lira.js';
export type { GaussianFitOptions, GaussianFits, LiraVariance, UliraOptions, UliraResult } from './lira.js';
export { ulira } from './ulira.js';
export type { ReferenceEstimate, ReferenceSide, UliraAttackOptions, UliraAttackResult } from './ulira.js';
export {
  NEURIPS_DELTA,
  NEURIPS_EPSILON_CAP,
  NEURIPS_INTERVAL_BUFFER,
  NEURIPS_PEAKY_RATIO,
  NEURIPS_THRESHOLDS_PER_UNIT,
  neuripsEpsilons,
} from './neurips-epsilon.js';
export type { EpsilonSource, NeuripsEpsilonOptions, NeuripsEpsilons } from './neurips-epsilon.js';
export { NEURIPS_BUCKET_WIDTH, neuripsFinalScore, neuripsForgetScore, neuripsMaxEpsilon, neuripsPoints, neuripsScore } from './neurips-score.js';
export type { NeuripsForgetScore, NeuripsScore, NeuripsScoreArgs, SideAccuracies } from './neurips-score.js';
export { activationDistance, activationDistances, jsDivergences, jsToRetrained } from './divergence.js';
export { zrf, zrfFromProbabilities } from './zrf.js';
export type { ZrfReduction } from './zrf.js';
export { randomlyInitialised } from './random-init.js';
export { speedUp } from './timing.js';
export { builtinMetrics, defaultMetrics } from './metrics.js';
export type { BuiltinMetricId, MetricContext, MetricDefinition, MetricDirection, MetricUnit, ModelRole } from './metrics.js';
export { summarize } from './stats.js';
export type { Summary } from './stats.js';

export { benchmark } from './benchmark.js';
export { computeMetrics, evaluateRun } from './evaluate.js';
export { measureModel } from './measure.js';
export type { MeasureOptions, MeasureSet, Measured } from './measure.js';
export type { EvaluateRunOptions } from './evaluate.js';
export type { BenchmarkOptions } from './benchmark-options.js';
export type { BenchmarkProgress } from './progress.js';
export { memoryRetrainCache, retrainCacheKey } from './cache.js';
export type { RetrainCache, RetrainCacheMeta, RetrainKeyParts } from './cache.js';
export { referenceRow } from './report.js';
export type { BenchmarkReport, MetricInfo, RowReport, RowRole, RunRecord, ScenarioReport } from './report.js';

export { parseReport, toJson } from './json.js';
export { toMarkdown } from './markdown.js';
export type { MarkdownOptions } from './markdown.js';
export { toHtml } from './html.js';
export type { HtmlOptions } from './html.js';
export { metricChartSpec, renderSvg } from './charts.js';
