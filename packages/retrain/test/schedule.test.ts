import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { learningRateAt, type LrSchedule } from '../src/index.js';

// Rates recorded from PyTorch's own schedulers driven by R2's fit_one_cycle loop (multistep) and
// by OneCycleLR (onecycle); see scripts/make_schedule_fixture.py.
const golden = JSON.parse(readFileSync(new URL('./fixtures/schedules.json', import.meta.url), 'utf8')) as {
  cases: { name: string; schedule: LrSchedule; learningRate: number; epochs: number; batchesPerEpoch: number; rates: number[][] }[];
};

describe('learningRateAt', () => {
  for (const c of golden.cases) {
    it(`matches PyTorch batch by batch: ${c.name}`, () => {
      c.rates.forEach((row, epoch) =>
        row.forEach((expected, batch) => {
          const got = learningRateAt(c.schedule, c.learningRate, { epoch, batch, batchesPerEpoch: c.batchesPerEpoch, epochs: c.epochs });
          expect(got, `epoch ${epoch} batch ${batch}`).toBeCloseTo(expected, 12);
        }),
      );
    });
  }

  it('overshoots to about twice the base rate at the end of the reference warm-up (epoch 1)', () => {
    const s: LrSchedule = { kind: 'multistep', milestones: [8, 12, 16], gamma: 0.2, warmupEpochs: 1 };
    const at = (epoch: number, batch: number) => learningRateAt(s, 0.01, { epoch, batch, batchesPerEpoch: 100, epochs: 20 });
    expect(at(0, 0)).toBe(0);
    expect(at(1, 99)).toBeCloseTo(0.0199, 6);
    expect(at(2, 0)).toBe(0.01);
    expect(at(8, 0)).toBeCloseTo(0.002, 12);
    expect(at(19, 0)).toBeCloseTo(0.01 * 0.2 ** 3, 12);
  });

  it('is the base rate throughout for constant, and plain MultiStep without warm-up', () => {
    expect(learningRateAt({ kind: 'constant' }, 0.3, { epoch: 5, batch: 7, batchesPerEpoch: 0, epochs: 9 })).toBe(0.3);
    const s: LrSchedule = { kind: 'multistep', milestones: [2], gamma: 0.5, warmupEpochs: 0 };
    expect([0, 1, 2, 3].map((epoch) => learningRateAt(s, 1, { epoch, batch: 0, batchesPerEpoch: 0, epochs: 4 }))).toEqual([1, 1, 0.5, 0.5]);
  });
});
