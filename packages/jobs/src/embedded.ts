import { abortError } from '@unlearn/core';
import type { JobDriver, PlannedJob, RunHooks } from './driver.js';
import { JobInputs } from './inputs.js';
import type { JobResult } from './result.js';
import { runJob } from './run-job.js';
import { settleAll } from './settle-all.js';
import type { JobStore } from './store.js';

export interface EmbeddedDriverOptions {
  /** Threads for each job's metric passes (see @unlearn/eval's PredictOptions.threads). */
  threads?: number;
}

/**
 * Runs jobs in this process, one at a time in the order they were given: the default, with nothing
 * to install. Methods and metric passes still use worker threads where they would anyway.
 */
export function embeddedDriver(store: JobStore, options: EmbeddedDriverOptions = {}): JobDriver {
  const inputs = new JobInputs(store);
  let tail: Promise<unknown> = Promise.resolve();
  const runOne = async (job: PlannedJob, hooks: RunHooks): Promise<JobResult> => {
    if (hooks.signal?.aborted) throw abortError(hooks.signal.reason);
    const cached = await store.readResult(job.key);
    if (cached) {
      hooks.onEvent?.({ job, status: 'cached', result: cached });
      return cached;
    }
    // Checked again: the grid may have stopped (another job failed) while the store was read.
    if (hooks.signal?.aborted) throw abortError(hooks.signal.reason);
    hooks.onEvent?.({ job, status: 'start', worker: 'embedded' });
    try {
      const { result, ran } = await runJob(job.spec, store, {
        inputs,
        ...(options.threads ? { threads: options.threads } : {}),
        ...(hooks.signal ? { signal: hooks.signal } : {}),
      });
      hooks.onEvent?.({ job, status: ran ? 'done' : 'cached', worker: 'embedded', result });
      return result;
    } catch (error) {
      hooks.onEvent?.({ job, status: 'failed', worker: 'embedded', error: error instanceof Error ? error.message : String(error) });
      throw error;
    }
  };
  return {
    name: 'embedded',
    run(jobs, hooks = {}) {
      for (const job of jobs) hooks.onEvent?.({ job, status: 'queued' });
      // One job at a time across every batch: jobs are CPU-bound and share this process's backend.
      // A failure stops the rest of the batch, and run() settles only once none of it runs.
      return settleAll(hooks.signal, (signal) =>
        jobs.map((job) => {
          const next = tail.then(() => runOne(job, { ...hooks, signal }));
          tail = next.catch(() => undefined);
          return next;
        }),
      );
    },
    close: () => inputs.dispose(),
  };
}
