import { describe, expect, it } from 'vitest';
import { fitGaussians, LIRA_VARIANCE_FLOOR, likelihoodRatios, uliraFromConfidences } from '../src/index.js';
import type { LiraVariance } from '../src/index.js';
import { allClose, close, readGolden } from './golden.js';
import { expectUnlearnError } from './helpers.js';

interface Case {
  name: string;
  variance: LiraVariance;
  positive: number[][];
  negative: number[][];
  positiveScores: number[][];
  negativeScores: number[][];
  auc: number;
  smallestResolvableFpr: number;
  tprAtFpr: { fpr: number; tpr: number | null }[];
}

const fixture = readGolden<{ varianceFloor: number; cases: Case[] }>('ulira.json');

describe('U-LiRA against NumPy (ulira.json)', () => {
  it('uses the same variance floor', () => {
    expect(fixture.varianceFloor).toBe(LIRA_VARIANCE_FLOOR);
    expect(fixture.cases.length).toBe(4);
  });

  for (const c of fixture.cases) {
    it(c.name, () => {
      const result = uliraFromConfidences({ positive: c.positive, negative: c.negative }, { variance: c.variance, fprs: c.tprAtFpr.map((t) => t.fpr) });
      c.positiveScores.forEach((s, j) => allClose(result.positiveScores[j]!, s, `positive model ${j}`));
      c.negativeScores.forEach((s, j) => allClose(result.negativeScores[j]!, s, `negative model ${j}`));
      close(result.auc, c.auc, 'auc');
      expect(result.smallestResolvableFpr).toBe(c.smallestResolvableFpr);
      expect(result.positives).toBe(c.positive.length * c.positive[0]!.length);
      c.tprAtFpr.forEach(({ fpr, tpr }, i) => {
        expect(result.tprAtFpr[i]!.fpr).toBe(fpr);
        close(result.tprAtFpr[i]!.tpr, tpr, `tpr at ${fpr}`);
      });
    });
  }
});

describe('Gaussian fits and likelihood ratios', () => {
  const confs = [
    [0, 10, 5],
    [2, 10, 7],
    [4, 10, 9],
  ];

  it('per example: mean and ddof-0 variance, floored', () => {
    const fit = fitGaussians(confs, { variance: 'per-example' });
    expect(Array.from(fit.mean)).toEqual([2, 10, 7]);
    expect(Array.from(fit.variance)).toEqual([8 / 3, LIRA_VARIANCE_FLOOR, 8 / 3]);
  });

  it('global: the per-example variances pooled (the default)', () => {
    const fit = fitGaussians(confs);
    for (const v of fit.variance) expect(v).toBeCloseTo(16 / 9, 14);
    expect(fitGaussians(confs, { varianceFloor: 3 }).variance[0]).toBe(3);
  });

  it('Λ is 0 between identical fits and its sign says which side x is nearer', () => {
    const pos = { mean: Float64Array.of(1, 1), variance: Float64Array.of(1, 1) };
    const neg = { mean: Float64Array.of(-1, -1), variance: Float64Array.of(1, 1) };
    expect(Array.from(likelihoodRatios([0, 0], pos, pos))).toEqual([0, 0]);
    // ln N(x; 1, 1) − ln N(x; −1, 1) = 2x.
    expect(Array.from(likelihoodRatios([0.5, -2], pos, neg))).toEqual([1, -4]);
  });

  it('indistinguishable sides give an AUC near 0.5; a shift gives more', () => {
    let seed = 7;
    const gauss = () => {
      // Box-Muller on a small LCG: reproducible, no dependency.
      const u = () => {
        seed = (seed * 1103515245 + 12345) % 2 ** 31;
        return (seed + 1) / (2 ** 31 + 1);
      };
      return Math.sqrt(-2 * Math.log(u())) * Math.cos(2 * Math.PI * u());
    };
    const sample = (K: number, n: number, shift: number) => Array.from({ length: K }, () => Array.from({ length: n }, (_, i) => i + shift + gauss()));
    const same = uliraFromConfidences({ positive: sample(6, 200, 0), negative: sample(6, 200, 0) });
    expect(Math.abs(same.auc - 0.5)).toBeLessThan(0.05);
    const shifted = uliraFromConfidences({ positive: sample(6, 200, 1), negative: sample(6, 200, 0) });
    // Two unit normals 1 apart: the optimal test's AUC is Φ(1/√2) ≈ 0.76.
    expect(shifted.auc).toBeGreaterThan(0.7);
    expect(shifted.auc).toBeLessThan(0.82);
  });

  it('refuses unequal sides, K < 3 and non-finite confidences', async () => {
    await expectUnlearnError(() => uliraFromConfidences({ positive: confs, negative: confs.slice(0, 2) }), 'SHAPE_MISMATCH');
    await expectUnlearnError(() => uliraFromConfidences({ positive: confs.slice(0, 2), negative: confs.slice(0, 2) }), 'INVALID_OPTION');
    await expectUnlearnError(() => fitGaussians([[1, Number.POSITIVE_INFINITY]]), 'NON_FINITE');
    await expectUnlearnError(() => fitGaussians(confs, { variance: 'median' as LiraVariance }), 'INVALID_OPTION');
  });
});
