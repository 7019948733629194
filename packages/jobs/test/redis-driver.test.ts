import { Worker } from 'bullmq';
import { isUnlearnError } from '@unlearn/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JobEvent, JobResult } from '../src/index.js';
import { redisDriver, startLocalRedis, type LocalRedis } from '../src/redis/index.js';
import { fakeJob, fakeResult, fakeStore, until, within } from './redis-helpers.js';

// The Redis driver's waiting for results, on a real Redis with no `unlearn worker`: what it does
// when the store fails, when the caller aborts, and when it is closed with jobs still pending.

describe('the redis driver', () => {
  let redis: LocalRedis;
  let n = 0;
  const queue = () => `driver-test-${++n}`;
  beforeAll(async () => {
    redis = await startLocalRedis();
  });
  afterAll(() => redis?.stop());

  it('reports a store that fails while a job completes, instead of an unhandled rejection, and the poll settles it later', async () => {
    const name = queue();
    const job = fakeJob();
    let reads = 0;
    let broken = false;
    let stored: JobResult | undefined;
    const log: string[] = [];
    const driver = await redisDriver({
      url: redis.url,
      queue: name,
      pollMs: 500,
      log: (m) => log.push(m),
      store: fakeStore(async () => {
        reads++;
        if (broken) throw new Error('store unreachable');
        return stored;
      }),
    });
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    let worker: Worker | undefined;
    try {
      const running = driver.run([job]);
      // Queued once run() has read the store twice (before queueing, and once more after).
      await until(() => reads >= 2);
      await new Promise((done) => setImmediate(done));
      broken = true;
      // A worker that completes the job, whose result the store then cannot show.
      worker = new Worker(name, async () => ({ key: job.key, ran: true, worker: 'test' }), { connection: { url: redis.url } });
      worker.on('error', () => undefined);
      await until(() => log.some((m) => m.includes(`reading the result of job ${job.key} failed (store unreachable)`)));
      broken = false;
      stored = fakeResult(job.key);
      expect(await within(running)).toEqual([stored]);
      expect(unhandled).toEqual([]);
    } finally {
      process.off('unhandledRejection', onUnhandled);
      await worker?.close();
      await driver.close();
    }
  });

  it('gives up a job when the caller aborts while the store is being read', async () => {
    let entered!: () => void;
    const reading = new Promise<void>((done) => (entered = done));
    let release!: () => void;
    const gate = new Promise<void>((done) => (release = done));
    const driver = await redisDriver({
      url: redis.url,
      queue: queue(),
      store: fakeStore(async () => {
        entered();
        await gate;
        return undefined;
      }),
    });
    try {
      const controller = new AbortController();
      const running = driver.run([fakeJob()], { signal: controller.signal });
      await reading;
      controller.abort();
      release();
      const error = await within(running).catch((e: unknown) => e);
      expect(isUnlearnError(error, 'ABORTED')).toBe(true);
    } finally {
      await driver.close();
    }
  });

  it('rejects the jobs still waiting when it is closed', async () => {
    const driver = await redisDriver({ url: redis.url, queue: queue(), store: fakeStore(async () => undefined) });
    const events: JobEvent[] = [];
    const running = driver.run([fakeJob()], { onEvent: (e) => events.push(e) });
    await until(() => events.some((e) => e.status === 'queued'));
    const outcome = expect(within(running)).rejects.toThrow(/the redis driver was closed before its result came/);
    await driver.close();
    await outcome;
  });
});
