import type { TorchRoundKey } from '@unlearn/bench-kit';

/** A workload timed in both frameworks, one round at a time. */
export interface Workload {
  /** The row's label. */
  name: string;
  /** What BENCH_ONLY can select it by, besides words of its name (e.g. 'mnist', 'resnet'). */
  tags: string[];
  unit: 'ms' | 'samples/s';
  torchKey: TorchRoundKey;
  /** The target ratio, where it set one. */
  target?: number;
  /** Rounds per side at most, unless BENCH_ROUNDS says otherwise; fewer once the row's time budget is spent. */
  rounds: number;
  setup(): Promise<Session>;
}

/** A workload's models and data, built once, timed round by round. */
export interface Session {
  /** Runs the workload once (or a shortened version of it), untimed. */
  warmup(): Promise<void>;
  /** One timed round: ms, or samples/s for throughput. */
  round(): Promise<number>;
  dispose(): void;
}

export function median(v: number[]): number {
  const s = [...v].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

export async function timedMs(run: () => Promise<unknown>): Promise<number> {
  const t0 = performance.now();
  await run();
  return performance.now() - t0;
}

/** Environment knobs of `npm run bench`. */
export const settings = {
  /** Rounds per side for every row, overriding each row's own count. */
  rounds: process.env.BENCH_ROUNDS === undefined ? undefined : Number(process.env.BENCH_ROUNDS),
  /** Comma-separated words: a row runs if a tag of it or a word of its name matches one. */
  only: (process.env.BENCH_ONLY ?? '').split(',').map((s) => s.trim().toLowerCase()).filter(Boolean),
  /** Tiny zoo models and data, one check that everything runs; nothing is written. */
  smoke: process.env.BENCH_SMOKE === '1',
  /** Seconds of timed rounds (both sides) after which a row takes no further round; it always takes one. */
  rowBudgetS: Number(process.env.BENCH_ROW_BUDGET_S ?? 90),
  /** A row whose 1-minute load average exceeds this at any sample is marked. */
  loadLimit: Number(process.env.BENCH_LOAD_LIMIT ?? 1.5),
};

export function selected(w: Pick<Workload, 'name' | 'tags'>): boolean {
  if (settings.only.length === 0) return true;
  const words = [...w.tags, ...w.name.toLowerCase().split(/[^a-z0-9-]+/)];
  return settings.only.some((o) => words.includes(o));
}
