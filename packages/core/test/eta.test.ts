import { describe, expect, it } from 'vitest';
import { EtaEstimator } from '../src/progress/eta.js';

describe('EtaEstimator', () => {
  it('multiplies each kind\'s mean pace by its units left', () => {
    const eta = new EtaEstimator({ retrain: 2, method: 4 });
    eta.finish('retrain', 100_000);
    eta.finish('method', 1_000);
    eta.finish('method', 3_000);
    // 1 retrain left at 100 s, 2 methods left at 2 s each.
    expect(eta.estimate()).toBe(104_000);
  });

  it('gives no estimate while a kind with work left has no pace, instead of borrowing another kind\'s', () => {
    const eta = new EtaEstimator({ retrain: 1, method: 4 });
    expect(eta.estimate()).toBeUndefined();
    eta.finish('retrain', 240_000);
    expect(eta.estimate()).toBeUndefined();
    eta.finish('method', 2_000);
    expect(eta.estimate()).toBe(6_000);
  });

  it('counts several units finished at once, and reaches 0 when all work is done', () => {
    const eta = new EtaEstimator({ step: 10 });
    eta.finish('step', 500, 5);
    expect(eta.estimate()).toBe(500);
    eta.finish('step', 1_500, 5);
    expect(eta.estimate()).toBe(0);
  });
});
