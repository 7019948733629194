import { invalidOption, UnlearnError } from '@unlearn/core';

export interface LogisticOptions {
  /** Inverse L2 strength as in sklearn: the penalty is ‖W‖² / (2C). Default 1; Infinity = none. */
  C?: number;
  /** 'balanced' weighs each sample by n / (2 · n_class), as sklearn's class_weight='balanced'. Default 'balanced'. */
  classWeight?: 'balanced' | 'none';
  /**
   * Fit the two-logit softmax of sklearn's multi_class='multinomial' (the reference's flag).
   * For two classes it is the binary model with W = (−w/2, w/2), so the penalty becomes w²/(4C):
   * the same classifier as binary with 2C. Default false (binary, penalty w²/(2C)).
   */
  multinomial?: boolean;
  /** Newton iterations at most (default 100; it usually needs fewer than 15). */
  maxIter?: number;
  /** Stop when the Newton step is below tol · (1 + |w| + |b|) (default 1e-12). */
  tol?: number;
}

/** A fitted 1-D logistic regression: P(y = 1 | x) = σ(w·x + b). */
export interface LogisticFit {
  /** w, the weight of the binary decision z = w·x + b (for `multinomial`, sklearn's coef_ is w/2). */
  coef: number;
  /** b, the intercept of the binary decision (for `multinomial`, sklearn's intercept_ is b/2). */
  intercept: number;
  iterations: number;
  converged: boolean;
}

const sigmoid = (z: number) => (z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z)));
// log(1 + e^z) without overflow.
const softplus = (z: number) => (z > 0 ? z + Math.log1p(Math.exp(-z)) : Math.log1p(Math.exp(z)));

/**
 * Weighted, L2-penalised logistic regression on one feature with an unpenalised intercept,
 * solved by Newton's method (IRLS) with step halving, to convergence:
 *
 *   minimise Σᵢ sᵢ · [softplus(zᵢ) − yᵢ zᵢ] + λ w²,  zᵢ = w·xᵢ + b,  λ = 1/(2C) (1/(4C) multinomial)
 *
 * which is sklearn's LogisticRegression(C, class_weight, solver='lbfgs') objective divided by C.
 */
export function fitLogistic1d(x: ArrayLike<number>, y: ArrayLike<number>, options: LogisticOptions = {}): LogisticFit {
  const C = options.C ?? 1;
  const maxIter = options.maxIter ?? 100;
  const tol = options.tol ?? 1e-12;
  if (!(C > 0)) throw invalidOption('fitLogistic1d', 'C', 'a positive number (Infinity for no penalty)', C);
  if (!Number.isInteger(maxIter) || maxIter < 1) throw invalidOption('fitLogistic1d', 'maxIter', 'a positive integer', maxIter);
  const n = x.length;
  if (y.length !== n) throw new UnlearnError('SHAPE_MISMATCH', `fitLogistic1d: ${n} features but ${y.length} labels`);
  let n1 = 0;
  for (let i = 0; i < n; i++) {
    const label = y[i];
    if (label !== 0 && label !== 1) throw new UnlearnError('INVALID_OPTION', `fitLogistic1d: label ${i} is ${label}, expected 0 or 1`);
    if (!Number.isFinite(x[i]!)) throw new UnlearnError('NON_FINITE', `fitLogistic1d: feature ${i} is ${x[i]}`);
    n1 += label;
  }
  const n0 = n - n1;
  if (n1 === 0 || n0 === 0) {
    throw new UnlearnError('EMPTY_DATASET', `fitLogistic1d needs samples of both classes (got ${n1} positive, ${n0} negative)`);
  }
  const balanced = (options.classWeight ?? 'balanced') === 'balanced';
  const s1 = balanced ? n / (2 * n1) : 1;
  const s0 = balanced ? n / (2 * n0) : 1;
  const lambda = C === Number.POSITIVE_INFINITY ? 0 : 1 / ((options.multinomial ? 4 : 2) * C);

  const objective = (w: number, b: number) => {
    let f = lambda * w * w;
    for (let i = 0; i < n; i++) {
      const z = w * x[i]! + b;
      f += (y[i] === 1 ? s1 : s0) * (softplus(z) - y[i]! * z);
    }
    return f;
  };

  let w = 0;
  let b = 0;
  let current = objective(w, b);
  let iterations = 0;
  let converged = false;
  while (iterations < maxIter) {
    iterations++;
    let gw = 2 * lambda * w;
    let gb = 0;
    let hww = 2 * lambda;
    let hwb = 0;
    let hbb = 0;
    for (let i = 0; i < n; i++) {
      const xi = x[i]!;
      const s = y[i] === 1 ? s1 : s0;
      const p = sigmoid(w * xi + b);
      const r = s * (p - y[i]!);
      const v = s * p * (1 - p);
      gw += r * xi;
      gb += r;
      hww += v * xi * xi;
      hwb += v * xi;
      hbb += v;
    }
    const det = hww * hbb - hwb * hwb;
    if (!(det > 0)) break;
    let dw = (hbb * gw - hwb * gb) / det;
    let db = (hww * gb - hwb * gw) / det;
    // Newton on a convex objective may still overshoot from far away: halve until it descends.
    let t = 1;
    let next = objective(w - dw, b - db);
    while (next > current && t > 1e-10) {
      t /= 2;
      next = objective(w - t * dw, b - t * db);
    }
    dw *= t;
    db *= t;
    w -= dw;
    b -= db;
    const improvement = current - next;
    current = next;
    if (Math.max(Math.abs(dw), Math.abs(db)) <= tol * (1 + Math.abs(w) + Math.abs(b)) || improvement <= 0) {
      converged = true;
      break;
    }
  }
  return { coef: w, intercept: b, iterations, converged };
}

/** P(y = 1 | x) under a fit. */
export function logisticProbability(fit: LogisticFit, x: number): number {
  return sigmoid(fit.coef * x + fit.intercept);
}

/** Class 1 iff w·x + b > 0, as sklearn's predict (a tie goes to class 0). */
export function logisticPredict(fit: LogisticFit, x: number): 0 | 1 {
  return fit.coef * x + fit.intercept > 0 ? 1 : 0;
}
