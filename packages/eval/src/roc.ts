import { UnlearnError } from '@unlearn/core';

/** The false-positive rates at which attacks report their true-positive rate by default. */
export const DEFAULT_LOW_FPRS: readonly number[] = [0.01, 0.001];

/**
 * An ROC curve: the points (FPR, TPR) of the test "positive iff score ≥ t" for t from +∞ down
 * through every distinct score, starting at (0, 0) and ending at (1, 1). Tied scores move both
 * rates at once (a diagonal segment), as a threshold cannot split them.
 */
export interface RocCurve {
  fpr: Float64Array;
  tpr: Float64Array;
  positives: number;
  negatives: number;
}

export function rocCurve(scores: ArrayLike<number>, labels: ArrayLike<number>): RocCurve {
  const n = scores.length;
  if (labels.length !== n) throw new UnlearnError('SHAPE_MISMATCH', `rocCurve: ${n} scores but ${labels.length} labels`);
  let positives = 0;
  for (let i = 0; i < n; i++) {
    if (labels[i] !== 0 && labels[i] !== 1) throw new UnlearnError('INVALID_OPTION', `rocCurve: label ${i} is ${labels[i]}, expected 0 or 1`);
    if (Number.isNaN(scores[i]!)) throw new UnlearnError('NON_FINITE', `rocCurve: score ${i} is NaN`);
    positives += labels[i]!;
  }
  const negatives = n - positives;
  if (positives === 0 || negatives === 0) {
    throw new UnlearnError('EMPTY_DATASET', `rocCurve needs both classes (got ${positives} positive, ${negatives} negative)`);
  }
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => scores[b]! - scores[a]! || 0);
  const fpr = [0];
  const tpr = [0];
  let tp = 0;
  let fp = 0;
  for (let i = 0; i < n; ) {
    const s = scores[order[i]!]!;
    for (; i < n && scores[order[i]!] === s; i++) {
      if (labels[order[i]!] === 1) tp++;
      else fp++;
    }
    fpr.push(fp / negatives);
    tpr.push(tp / positives);
  }
  return { fpr: Float64Array.from(fpr), tpr: Float64Array.from(tpr), positives, negatives };
}

/** Area under the curve by trapezoids: P(s₊ > s₋) + ½·P(s₊ = s₋) over positive/negative pairs. */
export function rocAuc(curve: RocCurve): number {
  const { fpr, tpr } = curve;
  let area = 0;
  for (let i = 1; i < fpr.length; i++) area += ((fpr[i]! - fpr[i - 1]!) * (tpr[i]! + tpr[i - 1]!)) / 2;
  return area;
}

/** The smallest non-zero FPR that a threshold on these negatives can show: 1 / negatives. */
export function smallestResolvableFpr(curve: RocCurve): number {
  return 1 / curve.negatives;
}

/**
 * TPR at FPR = `fpr`, read off the piecewise-linear curve: between two neighbouring points it is
 * interpolated linearly (the rate a test randomising between those two thresholds achieves),
 * and where the curve is vertical at `fpr` the top is taken. LiRA's own code instead takes the
 * last point with FPR < `fpr`, which understates the rate between points.
 *
 * Below `smallestResolvableFpr` the only negatives-based evidence is "no negative at all above
 * the threshold", which says nothing about rates that small: the result is NaN there.
 */
export function tprAtFpr(curve: RocCurve, fpr: number): number {
  if (!(fpr >= 0 && fpr <= 1)) throw new UnlearnError('INVALID_OPTION', `tprAtFpr: fpr must be in [0, 1] (got ${fpr})`);
  if (fpr < smallestResolvableFpr(curve)) return Number.NaN;
  const xs = curve.fpr;
  const ys = curve.tpr;
  let best = Number.NEGATIVE_INFINITY;
  for (let i = 1; i < xs.length; i++) {
    const x0 = xs[i - 1]!;
    const x1 = xs[i]!;
    if (fpr < x0 || fpr > x1) continue;
    const y = x1 === x0 ? Math.max(ys[i - 1]!, ys[i]!) : ys[i - 1]! + ((fpr - x0) * (ys[i]! - ys[i - 1]!)) / (x1 - x0);
    best = Math.max(best, y);
  }
  return best;
}
