import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { folderStore } from '../src/index.js';
import { redisDriver, startJobWorker, startLocalRedis, type LocalRedis } from '../src/redis/index.js';
import { removeDir, tempDir } from './helpers.js';
import { adminOf, fakeStore, until } from './redis-helpers.js';

// Starting a driver or a worker that cannot work must leave nothing behind: no connection that
// keeps reconnecting (and keeps the process alive), no worker that runs jobs unsafely.

describe('starting on Redis', () => {
  let redis: LocalRedis;
  let admin: ReturnType<typeof adminOf>;
  let dir: string;
  beforeAll(async () => {
    redis = await startLocalRedis();
    admin = adminOf(redis.url);
    dir = await tempDir();
  });
  afterAll(async () => {
    await admin?.close();
    await redis?.stop();
    await removeDir(dir);
  });

  it('closes the connections of a driver or a worker whose start fails', async () => {
    // Connected and logged in, then refused the INFO that BullMQ's start sends.
    const url = await admin.userWithoutInfo('noinfo', 'pw');
    await expect(redisDriver({ url, store: fakeStore(async () => undefined) })).rejects.toThrow(/NOPERM/);
    await until(async () => (await admin.connections('noinfo')) === 0, 3000);
    await expect(startJobWorker({ url, store: folderStore(dir).root })).rejects.toThrow(/NOPERM/);
    await until(async () => (await admin.connections('noinfo')) === 0, 3000);
  });

  it('refuses a worker without the sandbox that would run several jobs at once in one process', async () => {
    const started = startJobWorker({ url: redis.url, store: dir, sandbox: false, concurrency: 2 }).then(async (w) => {
      await w.close();
      return 'started';
    });
    await expect(started).rejects.toThrow(/without the sandbox runs one job at a time/);
  });
});
