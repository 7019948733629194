import { accuracyFromProbabilities } from './accuracy.js';
import { activationDistances, jsDivergences, mean } from './divergence.js';
import { entropies } from './entropy.js';
import { membershipInferenceFromEntropies } from './mia.js';
import type { Probabilities } from './predict.js';
import type { ScenarioSplits, SplitName } from './scenario.js';
import { speedUp } from './timing.js';
import type { ZrfReduction } from './zrf.js';
import { zrfFromProbabilities } from './zrf.js';

/** Whose outputs a metric reads: the evaluated model, the retrained reference, or a random network. */
export type ModelRole = 'model' | 'retrained' | 'random';

export interface MetricContext {
  readonly splits: ScenarioSplits;
  /** Softmax outputs of one of the models on one split (computed once and shared by metrics). */
  probabilities(role: ModelRole, split: SplitName): Promise<Probabilities>;
  /** Time of the unlearning step (NaN for the model before unlearning). */
  readonly timeMs: number;
  /** Time the retrain reference took, when one ran or was cached. */
  readonly retrainTimeMs: number | undefined;
  readonly zrfReduction: ZrfReduction;
}

export type MetricDirection = 'higher' | 'lower' | 'closer-to-retrain';
export type MetricUnit = 'fraction' | 'nats' | 'distance' | 'score' | 'ms' | 'ratio';

/** A metric the benchmark computes for every run. */
export interface MetricDefinition {
  readonly id: string;
  /** Column heading in reports. */
  readonly label: string;
  /** One sentence with the formula, for report legends. */
  readonly description: string;
  readonly unit: MetricUnit;
  readonly better: MetricDirection;
  /** Needs the retrained reference model (the benchmark refuses to start without `retrain`). */
  readonly needsRetrained: boolean;
  /** Needs a randomly initialised copy of the architecture. */
  readonly needsRandom?: boolean;
  compute(ctx: MetricContext): Promise<number>;
}

const accuracyOn = (id: string, label: string, split: SplitName, better: MetricDirection, what: string): MetricDefinition => ({
  id,
  label,
  description: `Top-1 accuracy on ${what}, sample-weighted: (1/n) Σ [argmax p(xᵢ) = yᵢ].`,
  unit: 'fraction',
  better,
  needsRetrained: false,
  async compute(ctx) {
    return accuracyFromProbabilities(await ctx.probabilities('model', split), ctx.splits[split].labels);
  },
});

/** Every metric this package computes, by id. */
export const builtinMetrics = {
  retainTestAcc: accuracyOn('retainTestAcc', 'retain test acc', 'retainTest', 'higher', 'retain-test (the whole test set for random forgetting)'),
  forgetTestAcc: accuracyOn('forgetTestAcc', 'forget test acc', 'forgetTest', 'closer-to-retrain', 'forget-test (Df itself for random forgetting)'),
  forgetTrainAcc: accuracyOn('forgetTrainAcc', 'forget train acc', 'forgetTrain', 'closer-to-retrain', 'the forget set Df'),
  retainTrainAcc: accuracyOn('retainTrainAcc', 'retain train acc', 'retainTrain', 'higher', 'the retain set Dr'),
  testAcc: accuracyOn('testAcc', 'test acc', 'test', 'closer-to-retrain', 'the whole test set, forget class included'),
  mia: {
    id: 'mia',
    label: 'MIA',
    description:
      'Fraction of Df predicted "member" by a class-balanced logistic regression (C = 1) on softmax entropy, fitted on retain-train (members) against test (non-members).',
    unit: 'fraction',
    better: 'closer-to-retrain',
    needsRetrained: false,
    async compute(ctx) {
      const feature = async (split: SplitName) => entropies(await ctx.probabilities('model', split));
      const result = membershipInferenceFromEntropies({
        retainTrain: await feature('retainTrain'),
        test: await feature('test'),
        forgetTrain: await feature('forgetTrain'),
      });
      return result.value;
    },
  },
  jsToRetrain: {
    id: 'jsToRetrain',
    label: 'JS to retrain',
    description: 'Mean Jensen-Shannon divergence (nats) between the softmax outputs of the model and of the retrained model on Df.',
    unit: 'nats',
    better: 'lower',
    needsRetrained: true,
    async compute(ctx) {
      return mean(jsDivergences(await ctx.probabilities('model', 'forgetTrain'), await ctx.probabilities('retrained', 'forgetTrain')));
    },
  },
  activationDistance: {
    id: 'activationDistance',
    label: 'activation dist.',
    description: 'Mean L2 distance between the softmax outputs of the model and of the retrained model on Df.',
    unit: 'distance',
    better: 'lower',
    needsRetrained: true,
    async compute(ctx) {
      return mean(activationDistances(await ctx.probabilities('model', 'forgetTrain'), await ctx.probabilities('retrained', 'forgetTrain')));
    },
  },
  zrf: {
    id: 'zrf',
    label: 'ZRF',
    description: '1 − mean JS divergence (nats) between the model and a randomly initialised copy on forget-test.',
    unit: 'score',
    better: 'closer-to-retrain',
    needsRetrained: false,
    needsRandom: true,
    async compute(ctx) {
      return zrfFromProbabilities(await ctx.probabilities('model', 'forgetTest'), await ctx.probabilities('random', 'forgetTest'), ctx.zrfReduction);
    },
  },
  timeMs: {
    id: 'timeMs',
    label: 'time',
    description: 'Wall time of the unlearning step alone (metrics, validation and copying excluded).',
    unit: 'ms',
    better: 'lower',
    needsRetrained: false,
    async compute(ctx) {
      return ctx.timeMs;
    },
  },
  speedUp: {
    id: 'speedUp',
    label: 'speed-up',
    description: 'Retrain time / method time.',
    unit: 'ratio',
    better: 'higher',
    needsRetrained: true,
    async compute(ctx) {
      return ctx.retrainTimeMs === undefined ? Number.NaN : speedUp(ctx.retrainTimeMs, ctx.timeMs);
    },
  },
} satisfies Record<string, MetricDefinition>;

export type BuiltinMetricId = keyof typeof builtinMetrics;

/** The metrics a benchmark computes unless told otherwise: all of them. */
export const defaultMetrics: readonly MetricDefinition[] = Object.values(builtinMetrics);
