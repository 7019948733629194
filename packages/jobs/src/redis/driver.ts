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
  /** Where trouble that the next poll may repair is reported (default console.warn). */
  log?: (message: string) => void;
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
  // Connection errors come as 'error' events, fatal without a listener. Reconnection is ioredis's,
  // a failure to start rejects waitUntilReady, and the store poll covers events lost meanwhile.
  const ignore = () => undefined;
  const queue = new Queue<JobData, JobReturn>(name, { connection });
  queue.on('error', ignore);
  // The queue first, and the events' connection only once it works: BullMQ's QueueEvents cannot
  // be closed after its connection failed to start (its close waits on that connection), and it
  // would reconnect for ever. A failure here closes what was opened, so nothing keeps the process up.
  try {
    await queue.waitUntilReady();
  } catch (error) {
    await queue.close().catch(() => undefined);
    throw error;
  }
  const events = new QueueEvents(name, { connection });
  events.on('error', ignore);
  try {
    await events.waitUntilReady();
  } catch (error) {
    await Promise.all([events.close(), queue.close()].map((p) => p.catch(() => undefined)));
    throw error;
  }
  const { store } = options;
  const log = options.log ?? ((message: string) => console.warn(message));
  const waiting = new Map<string, Waiter[]>();
  let closed = false;

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

  // Event handlers must not reject (an unhandled rejection ends the process): a store or Redis
  // hiccup is reported, and the poll below settles the job on a later round.
  const later = (what: string, outcome = 'the next look at the store settles it') => (error: unknown) =>
    log(`queue: ${what} failed (${error instanceof Error ? error.message : String(error)}); ${outcome}`);
  events.on('active', ({ jobId }) => {
    queue
      .getJob(jobId)
      .then((job) => emit(jobId, { status: 'start', ...(job?.processedBy ? { worker: job.processedBy } : {}) }))
      .catch(later(`reading job ${jobId}`, 'its start goes unreported'));
  });
  events.on('completed', ({ jobId }) => {
    settle(jobId).catch(later(`reading the result of job ${jobId}`));
  });
  events.on('failed', ({ jobId }) => {
    checkFailed(jobId).catch(later(`reading the state of job ${jobId}`));
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
    // run()'s abort listener rejects only registered waiters: an abort during the read above
    // would be missed, and the job queued and waited for regardless.
    if (hooks.signal?.aborted) throw abortError(hooks.signal.reason);
    if (closed) throw new Error('redis driver: closed');
    let waiter!: Waiter;
    const promise = new Promise<JobResult>((resolve, reject) => {
      waiter = { job, hooks, resolve, reject };
      waiting.set(job.key, [...(waiting.get(job.key) ?? []), waiter]);
    });
    try {
      await send(job);
      hooks.onEvent?.({ job, status: 'queued' });
      // The job may have finished between the store check and the listener: look once more.
      await settle(job.key);
    } catch (error) {
      // Nobody will await `promise` now: take the waiter back, and keep a later rejection of it
      // (an abort, close()) from being unhandled.
      const rest = (waiting.get(job.key) ?? []).filter((w) => w !== waiter);
      if (rest.length > 0) waiting.set(job.key, rest);
      else waiting.delete(job.key);
      promise.catch(() => undefined);
      throw error;
    }
    return promise;
  };

  const send = async (job: PlannedJob) => {
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
  };

  return {
    name: `redis ${name}`,
    async run(jobs, hooks = {}) {
      // Only this batch's waiters: another batch may wait for the same key under its own signal.
      const onAbort = () => {
        for (const job of jobs) {
          const list = waiting.get(job.key) ?? [];
          for (const w of list) if (w.hooks === hooks) w.reject(abortError(hooks.signal?.reason));
          const rest = list.filter((w) => w.hooks !== hooks);
          if (rest.length > 0) waiting.set(job.key, rest);
          else waiting.delete(job.key);
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
      closed = true;
      clearInterval(poll);
      // Whoever still waits would wait for ever: no event or poll reaches them after this.
      for (const [key, list] of waiting) {
        waiting.delete(key);
        for (const w of list) w.reject(new Error(`job ${key}: the redis driver was closed before its result came`));
      }
      await Promise.all([events.close(), queue.close()]);
    },
  };
}
