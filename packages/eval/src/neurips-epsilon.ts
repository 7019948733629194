import { invalidOption, UnlearnError } from '@unlearn/core';
import { checkConfidenceMatrix } from './confidence-matrix.js';

// The constants of the NeurIPS 2023 unlearning challenge's evaluation, as we read it
// (docs/evaluation.md, "The NeurIPS 2023 forgetting score").

/** δ of the (ε, δ) bound each threshold test gives. */
export const NEURIPS_DELTA = 1e-5;
/** Largest ε an example can get; perfect separation (∞) and "peaky" examples get exactly this. */
export const NEURIPS_EPSILON_CAP = 50;
/** Grid density of both threshold families: thresholds per unit of logit-scaled confidence. */
export const NEURIPS_THRESHOLDS_PER_UNIT = 100;
/** How far (in confidence units) the interval family's edges range around the narrower side. */
export const NEURIPS_INTERVAL_BUFFER = 2;
/** An example whose narrower side spans less than this fraction of the wider side's range gets the cap. */
export const NEURIPS_PEAKY_RATIO = 0.01;

/**
 * numpy.linspace(start, stop, num), bit for bit, so that both implementations test the very
 * same thresholds: i·step + start, the last point exactly `stop`, one point: `start`.
 */
export function linspace(start: number, stop: number, num: number): Float64Array {
  const out = new Float64Array(Math.max(0, num));
  if (num <= 0) return out;
  if (num === 1) {
    out[0] = start;
    return out;
  }
  const div = num - 1;
  const delta = stop - start;
  const step = delta / div;
  // numpy's own branch for a step that is 0 (or underflows to 0).
  for (let i = 0; i < num; i++) out[i] = step === 0 ? (i / div) * delta + start : i * step + start;
  out[num - 1] = stop;
  return out;
}

/** numpy.median: the middle value, or the mean of the two middle ones. */
function median(sorted: Float64Array): number {
  const n = sorted.length;
  const h = n >> 1;
  return n % 2 === 1 ? sorted[h]! : (sorted[h - 1]! + sorted[h]!) / 2;
}

/** Which (false-positive count, false-negative count) pairs some threshold test reached. */
class ReachedRates {
  readonly seen: Uint8Array;
  constructor(readonly models: number) {
    this.seen = new Uint8Array((models + 1) * (models + 1));
  }
  add(falsePositives: number, falseNegatives: number): void {
    this.seen[falsePositives * (this.models + 1) + falseNegatives] = 1;
  }
}

/** Ascending `values` counted below / at most a threshold, for thresholds visited in ascending order. */
class Counter {
  private i = 0;
  constructor(private readonly sorted: Float64Array, private readonly inclusive: boolean) {}
  reset(): void {
    this.i = 0;
  }
  /** #values < t (or ≤ t when inclusive); t must not decrease between calls until `reset`. */
  count(t: number): number {
    const s = this.sorted;
    if (this.inclusive) while (this.i < s.length && s[this.i]! <= t) this.i++;
    else while (this.i < s.length && s[this.i]! < t) this.i++;
    return this.i;
  }
}

const range = (sorted: Float64Array) => sorted[sorted.length - 1]! - sorted[0]!;

/**
 * Interval family: "positive iff l ≤ c ≤ r", where positive is the side with the narrower
 * range (both ranges equal: the median-defined negative side). Right edges r run over
 * linspace(min + w − 2, max + 2) of the narrower side (w its range), left edges over
 * linspace(r − w − 2, r − w + 2) with 400 points, 100 per unit.
 */
function intervalFamily(pos: Float64Array, neg: Float64Array, reached: ReachedRates): void {
  const pd = range(pos);
  const nd = range(neg);
  const width = pd > nd ? nd : pd;
  const [narrow, wide] = pd >= nd ? [neg, pos] : [pos, neg];
  const N = narrow.length;
  const lo = narrow[0]! + width - NEURIPS_INTERVAL_BUFFER;
  const hi = narrow[N - 1]! + NEURIPS_INTERVAL_BUFFER;
  const rights = linspace(lo, hi, Math.ceil((hi - lo) * NEURIPS_THRESHOLDS_PER_UNIT));
  const numLeft = Math.ceil(2 * NEURIPS_INTERVAL_BUFFER * NEURIPS_THRESHOLDS_PER_UNIT);
  const narrowAtMost = new Counter(narrow, true);
  const wideAtMost = new Counter(wide, true);
  const narrowBelow = new Counter(narrow, false);
  const wideBelow = new Counter(wide, false);
  for (const r of rights) {
    const tpHigh = narrowAtMost.count(r);
    const fpHigh = wideAtMost.count(r);
    narrowBelow.reset();
    wideBelow.reset();
    // Ascending left edges, so the two pointers only move forward.
    for (const l of linspace(r - width - NEURIPS_INTERVAL_BUFFER, r - width + NEURIPS_INTERVAL_BUFFER, numLeft)) {
      const tp = Math.max(0, tpHigh - narrowBelow.count(l));
      const fp = Math.max(0, fpHigh - wideBelow.count(l));
      reached.add(fp, N - tp);
    }
  }
}

/**
 * Single-threshold family: "positive iff c ≥ t", positive being the side with the larger median,
 * t over linspace(min, max) of both sides together, 100 per unit.
 */
function singleFamily(pos: Float64Array, neg: Float64Array, reached: ReachedRates): void {
  const N = pos.length;
  const lo = Math.min(pos[0]!, neg[0]!);
  const hi = Math.max(pos[N - 1]!, neg[N - 1]!);
  const posBelow = new Counter(pos, false);
  const negBelow = new Counter(neg, false);
  for (const t of linspace(lo, hi, Math.ceil((hi - lo) * NEURIPS_THRESHOLDS_PER_UNIT))) {
    const tp = N - posBelow.count(t);
    const fp = N - negBelow.count(t);
    reached.add(fp, N - tp);
  }
}

/**
 * ε of the best test among the reached rates: ∞ if one separates perfectly (FPR = FNR = 0);
 * tests with exactly one zero rate are dropped (too few models to trust them); otherwise
 * ε = max(0, max(ln(1 − δ − FPR) − ln FNR, ln(1 − δ − FNR) − ln FPR)), a log of a
 * non-positive number counting as missing. Undefined when no test survives.
 */
function bestEpsilon(reached: ReachedRates, delta: number): number | undefined {
  const N = reached.models;
  let best: number | undefined;
  for (let fp = 0; fp <= N; fp++) {
    for (let fn = 0; fn <= N; fn++) {
      if (!reached.seen[fp * (N + 1) + fn]) continue;
      if (fp === 0 && fn === 0) return Number.POSITIVE_INFINITY;
      if (fp === 0 || fn === 0) continue;
      const fpr = fp / N;
      const fnr = fn / N;
      const e1 = Math.log(1 - delta - fpr) - Math.log(fnr);
      const e2 = Math.log(1 - delta - fnr) - Math.log(fpr);
      const e = Number.isNaN(e1) ? e2 : Number.isNaN(e2) ? e1 : Math.max(e1, e2);
      if (Number.isNaN(e)) continue;
      best = Math.max(best ?? 0, e, 0);
    }
  }
  return best;
}

/** Why an example got its ε. */
export type EpsilonSource = 'thresholds' | 'peaky' | 'no-threshold';

export interface NeuripsEpsilons {
  /** Per forget example, in [0, NEURIPS_EPSILON_CAP]. */
  epsilons: Float64Array;
  source: EpsilonSource[];
  /** Models per side (N). */
  models: number;
}

export interface NeuripsEpsilonOptions {
  delta?: number;
}

/** N, the models per side; refuses unequal sides and N < 3. */
export function checkModelCounts(unlearned: number, retrained: number, where: string): number {
  if (retrained !== unlearned) {
    throw new UnlearnError('SHAPE_MISMATCH', `${where}: ${unlearned} unlearned but ${retrained} retrained models; the score needs N of each`);
  }
  // ⌈ln(N − 1)⌉ = 0 buckets for N = 2: every example would score 0 whatever the models do.
  if (unlearned < 3) throw invalidOption(where, 'models per side', 'at least 3 (with N = 2 every example scores 0)', unlearned);
  return unlearned;
}

/**
 * Per-example ε of the NeurIPS 2023 unlearning challenge's evaluation, from the logit-scaled
 * confidences `[model][example]` of N unlearned and N retrained models (our reading of the
 * challenge's evaluation; docs/evaluation.md lists every step and where we differ).
 *
 * For each example: the side with the larger median is "positive"; an example whose narrower
 * side spans under 1% of the wider one's range gets the cap; otherwise ε is the best over the
 * interval and single-threshold families (`bestEpsilon`), capped at 50.
 */
export function neuripsEpsilons(
  unlearned: readonly ArrayLike<number>[],
  retrained: readonly ArrayLike<number>[],
  options: NeuripsEpsilonOptions = {},
): NeuripsEpsilons {
  const delta = options.delta ?? NEURIPS_DELTA;
  if (!(delta >= 0 && delta < 1)) throw invalidOption('neuripsEpsilons', 'delta', 'a number in [0, 1)', delta);
  const N = checkModelCounts(unlearned.length, retrained.length, 'neuripsEpsilons');
  const n = checkConfidenceMatrix([...unlearned, ...retrained], 'neuripsEpsilons');
  const epsilons = new Float64Array(n);
  const source: EpsilonSource[] = [];
  const column = (rows: readonly ArrayLike<number>[], i: number) => Float64Array.from(rows, (row) => row[i]!).sort();
  for (let i = 0; i < n; i++) {
    const u = column(unlearned, i);
    const r = column(retrained, i);
    const [pos, neg] = median(r) > median(u) ? [r, u] : [u, r];
    const pd = range(pos);
    const nd = range(neg);
    // NaN (both sides constant) is not below the ratio: such examples go on to the thresholds.
    if ((pd > nd ? nd / pd : pd / nd) < NEURIPS_PEAKY_RATIO) {
      epsilons[i] = NEURIPS_EPSILON_CAP;
      source.push('peaky');
      continue;
    }
    const reached = new ReachedRates(N);
    intervalFamily(pos, neg, reached);
    singleFamily(pos, neg, reached);
    const best = bestEpsilon(reached, delta);
    epsilons[i] = best === undefined ? 0 : Math.min(best, NEURIPS_EPSILON_CAP);
    source.push(best === undefined ? 'no-threshold' : 'thresholds');
  }
  return { epsilons, source, models: N };
}
