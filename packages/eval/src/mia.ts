import type { ModelAdapter, UnlearnableModel } from '@unlearn/core';
import type * as tf from '@tensorflow/tfjs-core';
import { entropies } from './entropy.js';
import type { LogisticFit, LogisticOptions } from './logistic.js';
import { fitLogistic1d, logisticPredict } from './logistic.js';
import { predictProbabilities, type PredictOptions } from './predict.js';

export interface MiaResult {
  /** Fraction of forget-train samples the attack calls "member", in [0, 1]. */
  value: number;
  /** The attack classifier on the entropy feature (z = coef · H + intercept; member iff z > 0). */
  classifier: LogisticFit;
  /** Samples the attack was fitted on. */
  members: number;
  nonMembers: number;
}

export interface MiaFeatures {
  /** Entropies of the retain-train samples (members, label 1). */
  retainTrain: ArrayLike<number>;
  /** Entropies of the test samples (non-members, label 0). */
  test: ArrayLike<number>;
  /** Entropies of the forget-train samples (the ones asked about). */
  forgetTrain: ArrayLike<number>;
}

/** The attack of `membershipInference` on precomputed entropy features. */
export function membershipInferenceFromEntropies(features: MiaFeatures, options: LogisticOptions = {}): MiaResult {
  const { retainTrain, test, forgetTrain } = features;
  const x = new Float64Array(retainTrain.length + test.length);
  const y = new Uint8Array(x.length);
  x.set(Array.from(retainTrain), 0);
  x.set(Array.from(test), retainTrain.length);
  y.fill(1, 0, retainTrain.length);
  const classifier = fitLogistic1d(x, y, { classWeight: 'balanced', C: 1, ...options });
  let members = 0;
  for (let i = 0; i < forgetTrain.length; i++) members += logisticPredict(classifier, forgetTrain[i]!);
  return {
    value: forgetTrain.length === 0 ? Number.NaN : members / forgetTrain.length,
    classifier,
    members: retainTrain.length,
    nonMembers: test.length,
  };
}

/**
 * Entropy membership-inference attack of the reference code (docs/evaluation.md, metrics table):
 *
 * 1. feature Hᵢ = −Σₖ pₖ(xᵢ) ln pₖ(xᵢ), the entropy of the softmax output of each sample;
 * 2. a class-balanced logistic regression (weight n / (2·n_class), L2 penalty ½w² with C = 1 on
 *    the weight only, intercept) separates retain-train (members, 1) from test (non-members, 0);
 * 3. MIA = the fraction of forget-train samples it predicts "member".
 *
 * Direction: closer to the retrained model's value is better, not lower. A retrained model
 * never saw Df, yet Df samples that resemble retained ones still look like members.
 * Entropies are computed in batches: the feature is per sample, so this gives the same values
 * as the reference's batch size 1.
 */
export async function membershipInference(
  model: UnlearnableModel | ModelAdapter,
  data: { retainTrain: { x: tf.Tensor }; test: { x: tf.Tensor }; forgetTrain: { x: tf.Tensor } },
  options: LogisticOptions & PredictOptions = {},
): Promise<MiaResult> {
  const { batchSize, threads, signal, ...logistic } = options;
  const feature = async (x: tf.Tensor) => entropies(await predictProbabilities(model, x, { batchSize, threads, signal }));
  return membershipInferenceFromEntropies(
    {
      retainTrain: await feature(data.retainTrain.x),
      test: await feature(data.test.x),
      forgetTrain: await feature(data.forgetTrain.x),
    },
    logistic,
  );
}
