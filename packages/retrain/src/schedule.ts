import type { LrSchedule } from './options.js';

/** Whether the schedule needs the number of batches per epoch (streams of unknown size cannot use it). */
export function needsEpochLength(schedule: LrSchedule): boolean {
  return schedule.kind === 'onecycle' || (schedule.kind === 'multistep' && (schedule.warmupEpochs ?? 1) > 0);
}

/**
 * The learning rate for batch `batch` (0-based) of epoch `epoch` (0-based), with `batchesPerEpoch`
 * batches per epoch. Stateless, so a resumed run gets exactly the rates of an uninterrupted one.
 */
export function learningRateAt(
  schedule: LrSchedule,
  base: number,
  at: { epoch: number; batch: number; batchesPerEpoch: number; epochs: number },
): number {
  const { epoch, batch, batchesPerEpoch, epochs } = at;
  switch (schedule.kind) {
    case 'constant':
      return base;
    case 'multistep': {
      // R1/R2 fit_one_cycle: WarmUpLR(total_iters = one epoch) stepped after every batch while
      // epoch <= warm, MultiStepLR.step(epoch) at the start of every later epoch.
      const warm = schedule.warmupEpochs ?? 1;
      // The 1e-8 is WarmUpLR's own guard against division by zero, kept for parity.
      if (warm > 0 && epoch <= warm) return (base * (epoch * batchesPerEpoch + batch)) / (warm * batchesPerEpoch + 1e-8);
      const passed = schedule.milestones.filter((m) => m <= epoch).length;
      return base * (schedule.gamma ?? 0.2) ** passed;
    }
    case 'onecycle': {
      // PyTorch OneCycleLR, anneal_strategy 'cos', three_phase false.
      const total = epochs * batchesPerEpoch;
      const step = epoch * batchesPerEpoch + batch;
      const initial = base / (schedule.divFactor ?? 25);
      const final = initial / (schedule.finalDivFactor ?? 1e4);
      const upEnd = (schedule.pctStart ?? 0.3) * total - 1;
      const downEnd = total - 1;
      const cos = (from: number, to: number, pct: number) => to + ((from - to) / 2) * (Math.cos(Math.PI * pct) + 1);
      if (step <= upEnd) return cos(initial, base, upEnd > 0 ? step / upEnd : 1);
      return cos(base, final, downEnd > upEnd ? (step - upEnd) / (downEnd - upEnd) : 1);
    }
  }
}
