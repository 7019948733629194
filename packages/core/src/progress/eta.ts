/**
 * Time left from the measured pace of finished work, kept per kind of work. One estimator for
 * every progress report in the toolkit (a retrain's steps, a benchmark's cells), so they agree.
 *
 * A kind with work left but nothing finished yet has no pace, and the estimate is `undefined`
 * until it has one: guessing it from another kind's pace is how a benchmark that had just
 * finished a 4-minute retrain announced 15 minutes for four methods that took 30 seconds.
 */
export class EtaEstimator<K extends string = string> {
  private readonly spent = new Map<K, { ms: number; units: number }>();
  private readonly left = new Map<K, number>();

  /** `work`: how many units of each kind are still to do. */
  constructor(work: Record<K, number>) {
    for (const [kind, units] of Object.entries(work) as [K, number][]) this.left.set(kind, Math.max(0, units));
  }

  /** `units` of `kind` finished, taking `ms` together. */
  finish(kind: K, ms: number, units = 1): void {
    const s = this.spent.get(kind) ?? { ms: 0, units: 0 };
    this.spent.set(kind, { ms: s.ms + Math.max(0, ms), units: s.units + units });
    this.left.set(kind, Math.max(0, (this.left.get(kind) ?? 0) - units));
  }

  /** Milliseconds left at each kind's pace so far; undefined while any kind with work left has no pace. */
  estimate(): number | undefined {
    let total = 0;
    for (const [kind, units] of this.left) {
      if (units === 0) continue;
      const s = this.spent.get(kind);
      if (!s || s.units === 0) return undefined;
      total += (s.ms / s.units) * units;
    }
    return total;
  }
}
