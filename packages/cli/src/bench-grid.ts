import { resolve } from 'node:path';
import type { BenchmarkReport, EvalData, MetricDefinition } from '@unlearn/eval';
import type { AutoSearch, AutoSpec } from '@unlearn/jobs';
import type { UnlearnableModel } from '@unlearn/core';
import type { ScenarioSpec } from './eval-api.js';
import { jobsApi, jobsRedisApi } from './jobs-api.js';
import type { Output } from './io.js';

export interface QueuedBenchArgs {
  store: string;
  queue?: string;
  queueName?: string;
  model: UnlearnableModel;
  data: EvalData;
  scenarios: ScenarioSpec[];
  methods: string[];
  optionsOf: (name: string) => Record<string, unknown>;
  retrain: boolean;
  /** Search every method's strength (`bench --auto`) for this target. */
  auto?: AutoSpec;
  seeds: number[];
  metrics: readonly MetricDefinition[];
  backend: string;
  title?: string;
  signal?: AbortSignal;
  cwd: string;
  out: Output;
}

/**
 * `bench --store` (and `--queue`): the grid as content-addressed jobs. Without --queue they run
 * here, one after another; with it, on every `unlearn worker` of that Redis server. Either way a
 * job whose result is in the store is not run again, so a stopped grid resumes where it was.
 */
export async function queuedBenchmark(args: QueuedBenchArgs): Promise<{ report: BenchmarkReport; searches?: AutoSearch[] }> {
  const jobs = await jobsApi();
  const store = jobs.folderStore(resolve(args.cwd, args.store), { log: (message) => args.out.warn(message) });
  const driver = args.queue
    ? await (await jobsRedisApi()).redisDriver({
        url: args.queue,
        store,
        log: (message) => args.out.warn(message),
        ...(args.queueName ? { queue: args.queueName } : {}),
      })
    : jobs.embeddedDriver(store);
  try {
    const { report, plan, results } = await jobs.runGrid({
      model: args.model,
      data: args.data,
      store,
      driver,
      scenarios: args.scenarios,
      methods: Object.fromEntries(args.methods.map((n) => [n, { name: n, options: args.optionsOf(n), ...(args.auto ? { auto: args.auto } : {}) }])),
      ...(args.retrain ? { retrain: { name: 'retrain', options: args.optionsOf('retrain') } } : {}),
      seeds: args.seeds,
      metrics: args.metrics.map((m) => m.id),
      backend: args.backend,
      ...(args.title ? { title: args.title } : {}),
      ...(args.signal ? { signal: args.signal } : {}),
      onProgress: (e) => {
        if (e.status === 'queued') return;
        const who = e.worker ? ` on ${e.worker}` : '';
        const status = e.status === 'cached' ? 'in the store already' : e.status === 'failed' ? `failed: ${e.error}` : e.status;
        args.out.status(`[${e.finished}/${e.total}] ${jobs.jobLabel(e.job.spec)}: ${status}${who}`);
      },
    });
    return { report, ...(args.auto ? { searches: jobs.autoSearches(plan, results) } : {}) };
  } finally {
    await driver.close();
  }
}
