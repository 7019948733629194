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
  /**
   * Estimated time left, from the mean duration of finished cells of each role (core's
   * `EtaEstimator`); undefined while a role with cells left has none finished.
   */
  etaMs: number | undefined;
  /** The method's own progress event, for `status: 'running'`. */
  step?: ProgressEvent;
}
