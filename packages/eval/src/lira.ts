import { invalidOption, UnlearnError } from '@unlearn/core';
import { checkConfidenceMatrix } from './confidence-matrix.js';
import { DEFAULT_LOW_FPRS, rocAuc, rocCurve, smallestResolvableFpr, tprAtFpr } from './roc.js';

/**
 * - `'global'`: one variance per side, the within-example variances pooled over all examples
 *   (their mean). The default: with the few reference models a tfjs user can afford, a
 *   per-example variance from K − 1 values is mostly noise, and LiRA's authors found a shared
 *   variance better when there are fewer than about 64 models per side (Carlini et al. 2022).
 * - `'per-example'`: each example's own variance, as LiRA does with many models.
 */
export type LiraVariance = 'global' | 'per-example';

/**
 * Lower bound on every fitted variance, in squared logit-scaled-confidence units. It keeps the
 * log-likelihood finite when the reference models agree exactly on an example (e.g. all
 * saturate at the 1e-45 floor); 1e-6 is a standard deviation of 1e-3, well below the spread of
 * any two independently trained models.
 */
export const LIRA_VARIANCE_FLOOR = 1e-6;

/** Per-example normal fits to one side's reference confidences. */
export interface GaussianFits {
  mean: Float64Array;
  variance: Float64Array;
}

export interface GaussianFitOptions {
  variance?: LiraVariance;
  varianceFloor?: number;
}

/**
 * Fits N(μᵢ, σᵢ²) to the values `confs[k][i]` of each example i over the K models k:
 * μᵢ = (1/K) Σₖ xₖᵢ and the maximum-likelihood variance (1/K) Σₖ (xₖᵢ − μᵢ)² (LiRA's code uses
 * the same, ddof = 0), pooled per `variance`, then raised to `varianceFloor`.
 */
export function fitGaussians(confs: readonly ArrayLike<number>[], options: GaussianFitOptions = {}): GaussianFits {
  const mode = options.variance ?? 'global';
  const floor = options.varianceFloor ?? LIRA_VARIANCE_FLOOR;
  if (mode !== 'global' && mode !== 'per-example') throw invalidOption('fitGaussians', 'variance', '"global" or "per-example"', mode);
  if (!(floor > 0) || !Number.isFinite(floor)) throw invalidOption('fitGaussians', 'varianceFloor', 'a positive number', floor);
  const n = checkConfidenceMatrix(confs, 'fitGaussians');
  const K = confs.length;
  const mean = new Float64Array(n);
  const variance = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let k = 0; k < K; k++) s += confs[k]![i]!;
    mean[i] = s / K;
    let v = 0;
    for (let k = 0; k < K; k++) v += (confs[k]![i]! - mean[i]!) ** 2;
    variance[i] = v / K;
  }
  if (mode === 'global' && n > 0) {
    let pooled = 0;
    for (let i = 0; i < n; i++) pooled += variance[i]!;
    variance.fill(pooled / n);
  }
  for (let i = 0; i < n; i++) variance[i] = Math.max(variance[i]!, floor);
  return { mean, variance };
}

/**
 * Log-likelihood ratio per example, Λᵢ = ln N(xᵢ; μ⁺ᵢ, σ⁺ᵢ²) − ln N(xᵢ; μ⁻ᵢ, σ⁻ᵢ²)
 * = ½ ln(σ⁻ᵢ²/σ⁺ᵢ²) − (xᵢ − μ⁺ᵢ)²/(2σ⁺ᵢ²) + (xᵢ − μ⁻ᵢ)²/(2σ⁻ᵢ²). Positive: x looks like the
 * positive side ("in", or "unlearned").
 */
export function likelihoodRatios(x: ArrayLike<number>, positive: GaussianFits, negative: GaussianFits): Float64Array {
  const n = x.length;
  if (positive.mean.length !== n || negative.mean.length !== n) {
    throw new UnlearnError('SHAPE_MISMATCH', `likelihoodRatios: ${n} values but fits for ${positive.mean.length} and ${negative.mean.length} examples`);
  }
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const vp = positive.variance[i]!;
    const vn = negative.variance[i]!;
    const dp = x[i]! - positive.mean[i]!;
    const dn = x[i]! - negative.mean[i]!;
    out[i] = 0.5 * Math.log(vn / vp) - (dp * dp) / (2 * vp) + (dn * dn) / (2 * vn);
  }
  return out;
}

export interface UliraOptions extends GaussianFitOptions {
  /** FPRs to report the TPR at (default 1% and 0.1%). */
  fprs?: readonly number[];
}

export interface UliraResult {
  /** Area under the ROC curve of Λ over all held-out (model, example) pairs; 0.5 = indistinguishable. */
  auc: number;
  /** TPR at each requested FPR; NaN where the FPR is below `smallestResolvableFpr`. */
  tprAtFpr: { fpr: number; tpr: number }[];
  /** 1 / negatives: the smallest FPR these many held-out pairs can show. */
  smallestResolvableFpr: number;
  /** Held-out pairs of each side: K · examples. */
  positives: number;
  negatives: number;
  /** Λ of held-out model j of each side, `[j][example]`. */
  positiveScores: Float64Array[];
  negativeScores: Float64Array[];
  variance: LiraVariance;
}

/**
 * The per-example likelihood-ratio attack (LiRA; its unlearning form U-LiRA, Hayes et al. 2024,
 * arXiv 2403.01218) on precomputed confidences `[model][example]` of K reference models per side:
 * "in"/"out" of the examples for membership, or "unlearned"/"retrained" for U-LiRA.
 *
 * Evaluation is paired leave-one-out: for j = 0…K−1, the Gaussians of each side are fitted on
 * the other K − 1 models of that side, and held-out models j of both sides are scored (Λ on
 * every example, labels 1 and 0). The ROC is over all 2·K·n held-out pairs.
 */
export function uliraFromConfidences(
  confs: { positive: readonly ArrayLike<number>[]; negative: readonly ArrayLike<number>[] },
  options: UliraOptions = {},
): UliraResult {
  const K = confs.positive.length;
  if (confs.negative.length !== K) {
    throw new UnlearnError('SHAPE_MISMATCH', `ulira: ${K} positive but ${confs.negative.length} negative reference models; use as many of each`);
  }
  if (K < 3) throw invalidOption('ulira', 'reference models per side', 'at least 3 (each fit uses K − 1 of them)', K);
  const n = checkConfidenceMatrix([...confs.positive, ...confs.negative], 'ulira');
  if (n === 0) throw new UnlearnError('EMPTY_DATASET', 'ulira: no examples');
  const fprs = options.fprs ?? DEFAULT_LOW_FPRS;
  const variance = options.variance ?? 'global';
  const positiveScores: Float64Array[] = [];
  const negativeScores: Float64Array[] = [];
  for (let j = 0; j < K; j++) {
    const others = (rows: readonly ArrayLike<number>[]) => rows.filter((_, k) => k !== j);
    const pos = fitGaussians(others(confs.positive), options);
    const neg = fitGaussians(others(confs.negative), options);
    positiveScores.push(likelihoodRatios(confs.positive[j]!, pos, neg));
    negativeScores.push(likelihoodRatios(confs.negative[j]!, pos, neg));
  }
  const scores = new Float64Array(2 * K * n);
  const labels = new Uint8Array(2 * K * n);
  positiveScores.forEach((s, j) => {
    scores.set(s, j * n);
    labels.fill(1, j * n, (j + 1) * n);
  });
  negativeScores.forEach((s, j) => scores.set(s, (K + j) * n));
  const curve = rocCurve(scores, labels);
  return {
    auc: rocAuc(curve),
    tprAtFpr: fprs.map((fpr) => ({ fpr, tpr: tprAtFpr(curve, fpr) })),
    smallestResolvableFpr: smallestResolvableFpr(curve),
    positives: curve.positives,
    negatives: curve.negatives,
    positiveScores,
    negativeScores,
    variance,
  };
}
