import { toModelAdapter } from '@unlearn/core';
import type { ModelAdapter, UnlearnableModel } from '@unlearn/core';
import { accuracyFromProbabilities } from './accuracy.js';
import { logitScaledConfidence } from './confidence.js';
import type { LabelledData } from './data.js';
import { readLabels } from './data.js';
import type { EpsilonSource, NeuripsEpsilonOptions } from './neurips-epsilon.js';
import { checkModelCounts, neuripsEpsilons } from './neurips-epsilon.js';
import type { PredictOptions } from './predict.js';
import { predictProbabilities } from './predict.js';

/** Width of the ε buckets; bucket b = [b·0.5, (b+1)·0.5) is worth 2^−b points. */
export const NEURIPS_BUCKET_WIDTH = 0.5;

/**
 * The largest ε still worth points with N models per side: ⌈ln(N − 1)⌉, the challenge's
 * estimate of the largest ε that N samples can show. Buckets stop there, so an example with
 * ε ≥ this scores 0 (e.g. N = 512: 7, 14 buckets; N = 10: 3, 6 buckets; N = 3: 1, 2 buckets).
 */
export function neuripsMaxEpsilon(models: number): number {
  return Math.ceil(Math.log(models - 1));
}

/**
 * Points of one example: 2^−b for the first bucket b with ε < (b + 1)·0.5 among the buckets
 * that end at or below `neuripsMaxEpsilon(models)`, else 0. Equivalently 2/2^k with k = b + 1
 * the 1-based bin index: ε in [0, 0.5) scores 1, [0.5, 1) scores ½, [1, 1.5) scores ¼…
 */
export function neuripsPoints(epsilon: number, models: number): number {
  const maxEpsilon = neuripsMaxEpsilon(models);
  let points = 1;
  for (let b = 0; (b + 1) * NEURIPS_BUCKET_WIDTH <= maxEpsilon; b++, points /= 2) {
    if (epsilon < (b + 1) * NEURIPS_BUCKET_WIDTH) return points;
  }
  return 0;
}

export interface NeuripsForgetScore {
  /** F = (1/n) Σᵢ points(εᵢ), in [0, 1]; 1 = no example distinguishable from retraining. */
  forgetQuality: number;
  epsilons: Float64Array;
  points: Float64Array;
  source: EpsilonSource[];
  models: number;
  maxEpsilon: number;
}

/** The forgetting quality F from the confidences `[model][example]` of N unlearned and N retrained models. */
export function neuripsForgetScore(
  unlearned: readonly ArrayLike<number>[],
  retrained: readonly ArrayLike<number>[],
  options: NeuripsEpsilonOptions = {},
): NeuripsForgetScore {
  const { epsilons, source, models } = neuripsEpsilons(unlearned, retrained, options);
  const points = epsilons.map((e) => neuripsPoints(e, models));
  const forgetQuality = points.length === 0 ? Number.NaN : points.reduce((a, b) => a + b, 0) / points.length;
  return { forgetQuality, epsilons, points, source, models, maxEpsilon: neuripsMaxEpsilon(models) };
}

/** Mean accuracies of one side's models. */
export interface SideAccuracies {
  retain: number;
  test: number;
  forget: number;
  /** Each model's accuracies, in the order given. */
  perModel: { retain: number; test: number; forget: number }[];
}

export interface NeuripsScore extends NeuripsForgetScore {
  /** F × (RA_u / RA_r) × (TA_u / TA_r). */
  score: number;
  retainRatio: number;
  testRatio: number;
  unlearned: SideAccuracies;
  retrained: SideAccuracies;
}

/**
 * The final score of the challenge: score = F × (RA_u / RA_r) × (TA_u / TA_r), where RA and TA
 * are the retain and test accuracies averaged over each side's N models (u: unlearned, r: retrained).
 */
export function neuripsFinalScore(forgetQuality: number, accuracies: { unlearned: { retain: number; test: number }; retrained: { retain: number; test: number } }): number {
  const { unlearned: u, retrained: r } = accuracies;
  return forgetQuality * (u.retain / r.retain) * (u.test / r.test);
}

const meanOf = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length;

export interface NeuripsScoreArgs extends PredictOptions, NeuripsEpsilonOptions {
  /** N models from the unlearning method, each from its own run (e.g. different seeds or originals). */
  unlearned: readonly (UnlearnableModel | ModelAdapter)[];
  /** N models retrained without the forget set, each with its own seed. */
  retrained: readonly (UnlearnableModel | ModelAdapter)[];
  forget: LabelledData;
  retain: LabelledData;
  test: LabelledData;
}

/**
 * The NeurIPS 2023 unlearning challenge score (our reading of its evaluation; see
 * docs/evaluation.md): per forget example, the logit-scaled confidence under every model, ε of
 * the best threshold test between the two sides, bucketed into F, times the retain and test
 * accuracy ratios. It needs N unlearned and N retrained models (the challenge used N = 512; with
 * N models ε can only be resolved up to ⌈ln(N − 1)⌉). Models are read, never changed or disposed.
 */
export async function neuripsScore(args: NeuripsScoreArgs): Promise<NeuripsScore> {
  const { unlearned, retrained, forget, retain, test, batchSize, threads, delta } = args;
  checkModelCounts(unlearned.length, retrained.length, 'neuripsScore');
  const labels = {
    forget: await readLabels(forget, 'neuripsScore: forget'),
    retain: await readLabels(retain, 'neuripsScore: retain'),
    test: await readLabels(test, 'neuripsScore: test'),
  };
  const predict = { batchSize, threads };
  const read = async (models: readonly (UnlearnableModel | ModelAdapter)[]) => {
    const confidences: Float64Array[] = [];
    const perModel: SideAccuracies['perModel'] = [];
    for (const m of models) {
      const adapter = toModelAdapter(m);
      const onForget = await predictProbabilities(adapter, forget.x, predict);
      confidences.push(logitScaledConfidence(onForget, labels.forget, 'forget'));
      perModel.push({
        forget: accuracyFromProbabilities(onForget, labels.forget),
        retain: accuracyFromProbabilities(await predictProbabilities(adapter, retain.x, predict), labels.retain),
        test: accuracyFromProbabilities(await predictProbabilities(adapter, test.x, predict), labels.test),
      });
    }
    const accuracies: SideAccuracies = {
      retain: meanOf(perModel.map((a) => a.retain)),
      test: meanOf(perModel.map((a) => a.test)),
      forget: meanOf(perModel.map((a) => a.forget)),
      perModel,
    };
    return { confidences, accuracies };
  };
  const u = await read(unlearned);
  const r = await read(retrained);
  const forgetScore = neuripsForgetScore(u.confidences, r.confidences, { delta });
  return {
    ...forgetScore,
    score: neuripsFinalScore(forgetScore.forgetQuality, { unlearned: u.accuracies, retrained: r.accuracies }),
    retainRatio: u.accuracies.retain / r.accuracies.retain,
    testRatio: u.accuracies.test / r.accuracies.test,
    unlearned: u.accuracies,
    retrained: r.accuracies,
  };
}
