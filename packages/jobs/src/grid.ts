import type { UnlearnableModel, ModelAdapter } from '@unlearn/core';
import type { BenchmarkReport, EvalData } from '@unlearn/eval';
import { assembleReport } from './assemble.js';
import type { JobDriver, JobEvent } from './driver.js';
import { planGrid, planJobs, type GridPlan, type GridSpec } from './plan.js';
import type { JobResult } from './result.js';
import { settleAll } from './settle-all.js';
import { putEvalData, type JobStore } from './store.js';

export interface GridProgress extends JobEvent {
  /** Jobs finished (run, reused or failed) and jobs in the grid. */
  finished: number;
  total: number;
  elapsedMs: number;
}

export interface RunGridOptions extends GridSpec {
  /** The trained model every job starts from; it goes into the store once, under its hash. */
  model: UnlearnableModel | ModelAdapter;
  data: EvalData;
  store: JobStore;
  driver: JobDriver;
  signal?: AbortSignal;
  onProgress?: (event: GridProgress) => void;
}

/**
 * Runs a benchmark grid through a driver and assembles its report. Each scenario and seed sends
 * its reference first and the jobs comparing against it as soon as that one is done, so a queue
 * is never idle waiting for all references. Jobs whose results are in the store are not run
 * again: a grid stopped half-way and started again runs only what is missing.
 */
export async function runGrid(options: RunGridOptions): Promise<{ report: BenchmarkReport; plan: GridPlan; results: Map<string, JobResult> }> {
  const started = performance.now();
  const { store, driver } = options;
  const model = await store.putModel(options.model);
  const data = await putEvalData(store, options.data);
  const plan = await planGrid(options, { model, data });
  const total = planJobs(plan).length;
  const results = new Map<string, JobResult>();
  const reused = new Set<string>();
  let finished = 0;
  const onEvent = (e: JobEvent) => {
      if (e.status === 'cached') reused.add(e.job.key);
      if (e.status === 'done' || e.status === 'cached' || e.status === 'failed') finished++;
    options.onProgress?.({ ...e, finished, total, elapsedMs: performance.now() - started });
  };
  // One failed cell stops the others, and the grid settles only when they have stopped: the
  // caller closes the driver next, which disposes what running jobs use.
  await settleAll(options.signal, (signal) =>
    plan.cells.map(async (cell) => {
      const hooks = { signal, onEvent };
      if (cell.reference) {
        const [ref] = await driver.run([cell.reference], hooks);
        results.set(cell.reference.key, ref!);
      }
      const rest = await driver.run(cell.rest, hooks);
      cell.rest.forEach((job, i) => results.set(job.key, rest[i]!));
    }),
  );
  return { report: assembleReport(plan, results, { totalMs: performance.now() - started, reused }), plan, results };
}
