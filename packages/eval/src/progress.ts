import type { ProgressEvent } from '@unlearn/core';

/** Where the benchmark grid stands; emitted when a cell starts, progresses and ends. */
export interface BenchmarkProgress {
  /** 1-based index of the current cell and the number of cells (scenarios × seeds × (methods + reference)). */
  cell: number;
  total: number;
  scenario: string;
  seed: number;
  /** Row name: a key of `unlearners` or the reference's name. */
  method: string;
  role: 'reference' | 'method';
  status: 'start' | 'running' | 'done' | 'cached' | 'failed';
  /** Time since the benchmark started. */
  elapsedMs: number;
  /** Estimated time left, from the mean duration of finished cells of each role; undefined before any finished. */
  etaMs: number | undefined;
  /** The method's own progress event, for `status: 'running'`. */
  step?: ProgressEvent;
}

/** Tracks finished cells per role to estimate the time left. */
export class EtaTracker {
  private readonly done = { reference: [] as number[], method: [] as number[] };

  constructor(private remaining: { reference: number; method: number }) {}

  finish(role: 'reference' | 'method', ms: number): void {
    this.done[role].push(ms);
    this.remaining[role] = Math.max(0, this.remaining[role] - 1);
  }

  estimate(): number | undefined {
    const all = [...this.done.reference, ...this.done.method];
    if (all.length === 0) return undefined;
    const avg = (xs: number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : all.reduce((a, b) => a + b, 0) / all.length);
    return this.remaining.reference * avg(this.done.reference) + this.remaining.method * avg(this.done.method);
  }
}
