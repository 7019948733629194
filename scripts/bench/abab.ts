import { loadavg } from 'node:os';
import type { TorchRounds } from '@unlearn/bench-kit';
import { median, settings, type Workload } from './workload.js';

export interface Measured {
  workload: string;
  unit: Workload['unit'];
  torchKey: Workload['torchKey'];
  target?: number;
  tfjs: number;
  torch?: number;
  /** tfjs time / PyTorch time (for throughput: PyTorch samples/s / tfjs samples/s). */
  ratio?: number;
  rounds: { tfjs: number[]; torch: number[] };
  /** 1-minute load average before the row, after it, and the highest sampled between rounds. */
  load: { before: number; after: number; max: number };
  /** The load exceeded settings.loadLimit at some sample: the row was measured on a busy machine. */
  underLoad: boolean;
}

const load1 = () => loadavg()[0]!;

/**
 * Times a workload in tfjs and PyTorch by alternating rounds, tfjs then PyTorch then tfjs...
 * (ABAB), after one untimed warm-up on each side, and reports the median of each side's
 * rounds: w.rounds of them, or fewer once settings.rowBudgetS has been spent (a ResNet-18
 * importance round takes minutes on two cores). Alternating spreads whatever else runs on the machine over both sides instead of
 * letting it fall on one; the load is sampled before the row and after every pair of rounds.
 */
export async function measureAbab(w: Workload, torch: TorchRounds | undefined): Promise<Measured> {
  const rounds = settings.rounds ?? w.rounds;
  const before = load1();
  const loads = [before];
  const times = { tfjs: [] as number[], torch: [] as number[] };
  const session = await w.setup();
  try {
    await session.warmup();
    await torch?.warmup(w.torchKey);
    const start = performance.now();
    for (let r = 0; r < rounds; r++) {
      times.tfjs.push(await session.round());
      if (torch) times.torch.push(await torch.round(w.torchKey));
      loads.push(load1());
      if (performance.now() - start > settings.rowBudgetS * 1000) break;
    }
  } finally {
    session.dispose();
  }
  const tfjs = median(times.tfjs);
  const torchValue = torch ? median(times.torch) : undefined;
  const after = load1();
  loads.push(after);
  const max = Math.max(...loads);
  return {
    workload: w.name,
    unit: w.unit,
    torchKey: w.torchKey,
    ...(w.target === undefined ? {} : { target: w.target }),
    tfjs,
    ...(torchValue === undefined ? {} : { torch: torchValue, ratio: w.unit === 'ms' ? tfjs / torchValue : torchValue / tfjs }),
    rounds: times,
    load: { before, after, max },
    underLoad: max > settings.loadLimit,
  };
}
