import { describe, expect, it } from 'vitest';
import { rocAuc, rocCurve, smallestResolvableFpr, tprAtFpr } from '../src/index.js';
import { allClose, close, readGolden } from './golden.js';
import { expectUnlearnError } from './helpers.js';

interface Case {
  name: string;
  scores: number[];
  labels: number[];
  fpr: number[];
  tpr: number[];
  auc: number;
  smallestResolvableFpr: number;
  tprAtFpr: { fpr: number; tpr: number | null }[];
}

const fixture = readGolden<{ fprs: number[]; cases: Case[] }>('roc.json');

describe('ROC against NumPy (roc.json)', () => {
  it('has the five cases', () => expect(fixture.cases.length).toBe(5));

  for (const c of fixture.cases) {
    it(c.name, () => {
      const curve = rocCurve(c.scores, c.labels);
      // Rates are counts over the class size: exactly the same float64 values.
      expect(Array.from(curve.fpr)).toEqual(c.fpr);
      expect(Array.from(curve.tpr)).toEqual(c.tpr);
      close(rocAuc(curve), c.auc, 'auc');
      expect(smallestResolvableFpr(curve)).toBe(c.smallestResolvableFpr);
      for (const { fpr, tpr } of c.tprAtFpr) close(tprAtFpr(curve, fpr), tpr, `tpr at ${fpr}`);
    });
  }

  it('interpolates inside a diagonal (tied) segment and takes the top of a vertical one', () => {
    // Scores 2 (1 pos, 1 neg), 1 (1 pos): points (0,0) (0.5,0.5) (0.5,1)... then (1,1).
    const curve = rocCurve([2, 2, 1, 0], [1, 0, 1, 0]);
    expect(Array.from(curve.fpr)).toEqual([0, 0.5, 0.5, 1]);
    expect(Array.from(curve.tpr)).toEqual([0, 0.5, 1, 1]);
    expect(tprAtFpr(curve, 0.5)).toBe(1);
    // Below 1/negatives = 0.5 nothing is resolvable.
    expect(tprAtFpr(curve, 0.25)).toBeNaN();
    allClose([rocAuc(curve)], [0.625]);
  });

  it('refuses one-class labels, NaN scores and FPRs outside [0, 1]', async () => {
    await expectUnlearnError(() => rocCurve([1, 2], [1, 1]), 'EMPTY_DATASET');
    await expectUnlearnError(() => rocCurve([1, Number.NaN], [1, 0]), 'NON_FINITE');
    await expectUnlearnError(() => tprAtFpr(rocCurve([1, 2], [1, 0]), 1.5), 'INVALID_OPTION');
  });
});
