import type { JobResult } from './result.js';
import type { JobSpec } from './spec.js';

/** A job with its content key (computed once by whoever planned it). */
export interface PlannedJob {
  key: string;
  spec: JobSpec;
}

/**
 * What happened to a job: `cached` means its result was in the store already (an earlier run, or
 * another grid that shared it), so nothing ran.
 */
export interface JobEvent {
  job: PlannedJob;
  status: 'queued' | 'start' | 'done' | 'cached' | 'failed';
  /** Who ran it (the BullMQ worker's name, e.g. host:pid), when the driver knows. */
  worker?: string;
  result?: JobResult;
  error?: string;
}

export interface RunHooks {
  onEvent?: (event: JobEvent) => void;
  signal?: AbortSignal;
}

/**
 * Runs jobs somewhere and hands back their results, read from the shared store. A driver may be
 * given several batches at once (the grid sends each scenario and seed's jobs as soon as its
 * reference is done); it runs each job at most once per store: a key with a result is not run.
 */
export interface JobDriver {
  readonly name: string;
  run(jobs: readonly PlannedJob[], hooks?: RunHooks): Promise<JobResult[]>;
  close(): Promise<void>;
}
