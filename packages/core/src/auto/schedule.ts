import type { StrengthKnob } from '../contract/unlearner.js';

/** How a trial went, as far as the search is concerned. */
export type TrialVerdict =
  /** The forget target was met (the guard may still have failed). */
  | 'met'
  /** Not forgotten enough; the guard held. */
  | 'weak'
  /** Not forgotten enough and the guard already broke: stronger trials would only do more damage. */
  | 'damaging'
  /** The trial threw (e.g. NaN weights): too strong to run. */
  | 'failed';

/** Bisection stops when the bracket is narrower than this many first-phase steps. */
const RESOLUTION = 0.25;

/**
 * Which strengths auto mode tries: first geometric steps from the weakest value (level 0)
 * towards the strongest, until a trial meets the target, breaks the guard or fails; then
 * bisection, in log space, between the strongest trial that fell short within the guard and the
 * weakest one that did not. That converges on whichever edge comes first: the weakest strength
 * that forgets enough (the one that costs least utility), or, when the guard breaks before the
 * target is met, the strongest that the guard still admits (the one that forgets most).
 */
export class StrengthSchedule {
  private readonly factor: number;
  private readonly top: number;
  /** Highest level known to fall short within the guard; lowest known to meet the target, break the guard or fail. */
  private below = -Infinity;
  private above = Infinity;
  private readonly tried = new Set<number>();

  constructor(private readonly knob: Pick<StrengthKnob, 'weakest' | 'strongest' | 'factor' | 'integer'>) {
    this.factor = knob.factor ?? 2;
    this.top = Math.abs(Math.log(knob.strongest / knob.weakest) / Math.log(this.factor));
  }

  /** The knob value at a level (0 = weakest), snapped to the range and to integers when asked. */
  valueAt(level: number): number {
    const { weakest, strongest } = this.knob;
    if (level >= this.top) return strongest;
    const v = weakest * (strongest > weakest ? this.factor ** level : this.factor ** -level);
    return this.knob.integer ? Math.round(v) : v;
  }

  /** The next level to try, or undefined when the search is over. */
  next(): number | undefined {
    if (this.above === Infinity) {
      const level = this.below === -Infinity ? 0 : Math.min(this.below + 1, this.top);
      return level > this.below && !this.tried.has(this.key(level)) ? level : undefined;
    }
    if (this.below === -Infinity) {
      // The weakest trial already met the target (or broke the guard): nothing weaker to look for.
      return undefined;
    }
    if (this.above - this.below < RESOLUTION) return undefined;
    const mid = (this.above + this.below) / 2;
    return this.tried.has(this.key(mid)) ? undefined : mid;
  }

  record(level: number, verdict: TrialVerdict): void {
    this.tried.add(this.key(level));
    if (verdict === 'weak') this.below = Math.max(this.below, level);
    else this.above = Math.min(this.above, level);
  }

  // Integer knobs collapse nearby levels onto one value: try each value once.
  private key(level: number): number {
    return this.knob.integer ? this.valueAt(level) : level;
  }
}
