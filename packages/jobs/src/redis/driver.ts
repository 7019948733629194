import { abortError } from '@unlearn/core';
import type { JobDriver, JobEvent, PlannedJob, RunHooks } from '../driver.js';
import type { JobResult } from '../result.js';
import type { JobStore } from '../store.js';
import { DEFAULT_QUEUE, checkRedisUrl, loadBullmq, type JobData, type JobReturn } from './bullmq.js';

export interface RedisDriverOptions {
  /** redis://host:port of the queue's Redis server. */
  url: string;
  queue?: string;
  /** The shared store, as this machine mounts it (workers mount the same folder, maybe elsewhere). */
  store: JobStore;
  /** Attempts of a job that throws (a stalled job is retried separately, see the worker's maxStalledCount). */
  attempts?: number;
  /** How often to look in the store for results whose queue events were missed (default 2 s). */
  pollMs?: number;
}

interface Waiter {
  job: PlannedJob;
  hooks: RunHooks;
  resolve: (result: JobResult) => void;
  reject: (error: Error) => void;
}

/**
 * Sends jobs to a BullMQ queue on Redis and gathers their results from the store as workers
 * finish them. A job's BullMQ id is its content key, so the queue itself refuses to hold the same
 * job twice, and a key whose result is in the store is never queued.
 */
export async function redisDriver(options: RedisDriverOptions): Promise<JobDriver> {
  const { Queue, QueueEvents } = await loadBullmq();
  const connection = { url: checkRedisUrl(options.url) };
  const name = options.queue ?? DEFAULT_QUEUE;
  const queue = new Queue<JobData, JobReturn>(name, { connection });
  const events = new QueueEvents(name, { connection });
  await Promise.all([queue.waitUntilReady(), events.waitUntilReady()]);
  const { store } = options;
  const waiting = new Map<string, Waiter[]>();

  const emit = (key: string, e: Omit<JobEvent, 'job'>) => {
    for (const w of waiting.get(key) ?? []) w.hooks.onEvent?.({ job: w.job, ...e });
  };
  const settle = async (key: string) => {
    const result = await store.readResult(key);
    if (!result) return false;
    const list = waiting.get(key) ?? [];
    waiting.delete(key);
    for (const w of list) {
      w.hooks.onEvent?.({ job: w.job, status: 'done', result });
      w.resolve(result);
    }
    return true;
  };
  const fail = (key: string, reason: string) => {
    const list = waiting.get(key) ?? [];
    waiting.delete(key);
    for (const w of list) {
      w.hooks.onEvent?.({ job: w.job, status: 'failed', error: reason });
      w.reject(new Error(`job ${key} (${w.job.spec.kind} ${w.job.spec.method?.row ?? 'original'} seed ${w.job.spec.seed}) failed: ${reason}`));
    }
  };
  // A 'failed' event comes for every failed attempt; only a job in the failed state is given up on.
  const checkFailed = async (key: string) => {
    const job = await queue.getJob(key);
    if (job && (await job.getState()) === 'failed') fail(key, job.failedReason);
  };

  events.on('active', ({ jobId }) => {
    void queue.getJob(jobId).then((job) => emit(jobId, { status: 'start', ...(job?.processedBy ? { worker: job.processedBy } : {}) }));
  });
  events.on('completed', ({ jobId }) => {
    void settle(jobId);
  });
  events.on('failed', ({ jobId }) => {
    void checkFailed(jobId);
  });
  events.on('error', () => {
    // Reconnection is ioredis's; the store poll below covers events lost meanwhile.
  });
  // Queue events are a live stream, not a log: a result published while this process was not
  // listening is found here instead.
  const poll = setInterval(() => {
    for (const key of waiting.keys()) {
      void settle(key).then((done) => (done ? undefined : checkFailed(key))).catch(() => undefined);
    }
  }, options.pollMs ?? 2000);
  poll.unref();

  const submit = async (job: PlannedJob, hooks: RunHooks): Promise<JobResult> => {
    if (hooks.signal?.aborted) throw abortError(hooks.signal.reason);
    const done = await store.readResult(job.key);
    if (done) {
      hooks.onEvent?.({ job, status: 'cached', result: done });
      return done;
    }
    const promise = new Promise<JobResult>((resolve, reject) => {
      const list = waiting.get(job.key) ?? [];
      list.push({ job, hooks, resolve, reject });
      waiting.set(job.key, list);
    });
    const existing = await queue.getJob(job.key);
    const state = existing ? await existing.getState() : undefined;
    // A finished job without a result in the store (it failed, or the store was emptied) would
    // block its id forever: take it off the queue and send the job again.
    if (existing && (state === 'completed' || state === 'failed')) await existing.remove();
    if (!existing || state === 'completed' || state === 'failed') {
      await queue.add('job', { key: job.key, spec: job.spec }, {
        jobId: job.key,
        attempts: options.attempts ?? 2,
        backoff: { type: 'fixed', delay: 1000 },
        removeOnComplete: { age: 24 * 3600 },
        removeOnFail: { age: 7 * 24 * 3600 },
      });
    }
    hooks.onEvent?.({ job, status: 'queued' });
    // The job may have finished between the store check and the listener: look once more.
    await settle(job.key);
    return promise;
  };

  return {
    name: `redis ${name}`,
    async run(jobs, hooks = {}) {
      const onAbort = () => {
        for (const job of jobs) {
          for (const w of waiting.get(job.key) ?? []) w.reject(abortError(hooks.signal?.reason));
          waiting.delete(job.key);
        }
      };
      hooks.signal?.addEventListener('abort', onAbort, { once: true });
      try {
        return await Promise.all(jobs.map((job) => submit(job, hooks)));
      } finally {
        hooks.signal?.removeEventListener('abort', onAbort);
      }
    },
    async close() {
      clearInterval(poll);
      await Promise.all([events.close(), queue.close()]);
    },
  };
}
