import { readdir } from 'node:fs/promises';
import { startLocalRedis, type LocalRedis } from '@unlearn/jobs/redis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../src/index.js';
import { adminOf } from '../../jobs/test/redis-helpers.js';
import { Capture, cli, useWorkspace } from './helpers.js';

// What `unlearn worker` and `unlearn bench --store/--queue` refuse before any job runs, and what
// they never print: the password of the queue's URL.

const BENCH = [
  'bench', '--model', 'model', '--data', 'train.json', '--labels', 'train-labels.json', '--test', 'test.json', '--test-labels', 'test-labels.json',
  '--scenario', 'full-class:0', '--methods', 'jit', '--backend', 'cpu',
];

describe('queue commands refuse', () => {
  const workspace = useWorkspace();

  it('a worker without the sandbox running several jobs at once (they would share one process)', async () => {
    // Refused before connecting: nothing listens on port 1.
    const run = await cli(['worker', '--queue', 'redis://127.0.0.1:1', '--store', 'store', '--no-sandbox', '--concurrency', '2'], workspace().dir);
    expect([run.code, run.stderr]).toEqual([2, expect.stringMatching(/--no-sandbox runs jobs in this process, one at a time/)]);
  }, 15_000);

  it('options that would make a worker read or write its own files, before loading anything', async () => {
    const dir = workspace().dir;
    const run = await cli([...BENCH, '--store', 'store', '--set', 'retrain.checkpointDir=ckpt', '--out', 'out'], dir);
    expect([run.code, run.stderr]).toEqual([2, expect.stringMatching(/retrain's option "checkpointDir" reads or writes files/)]);
    expect(await readdir(dir)).not.toContain('store');
  });

  it('seeds core would refuse, and empty entries (which Number() reads as seed 0)', async () => {
    const dir = workspace().dir;
    for (const seeds of ['1,,2', '4294967296', '-1', '']) {
      const run = await cli([...BENCH, '--seeds', seeds, '--out', 'out'], dir);
      expect([seeds, run.code, run.stderr]).toEqual([seeds, 2, expect.stringMatching(/--seeds must be a comma-separated list of integers from 0 to 4294967295/)]);
    }
  });
});

describe('queue URLs with a password', () => {
  const workspace = useWorkspace();
  let redis: LocalRedis | undefined;
  beforeAll(async () => {
    redis = await startLocalRedis();
  });
  afterAll(() => redis?.stop());

  it('are printed without it, in errors and in the worker\'s status line', async () => {
    const dir = workspace().dir;
    const bad = await cli(['worker', '--queue', 'http://alice:s3cret@queue-host', '--store', 'store'], dir);
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toMatch(/http:\/\/alice:\*\*\*@queue-host/);
    expect(bad.stderr).not.toMatch(/s3cret/);

    const admin = adminOf(redis!.url);
    const url = await admin.user('alice', 's3cret');
    await admin.close();
    const stderr = new Capture();
    const stop = new AbortController();
    const running = runCli(['worker', '--queue', url, '--store', 'store'], { stdout: new Capture(), stderr, cwd: dir, signal: stop.signal });
    const end = Date.now() + 20_000;
    while (!stderr.text.includes('waiting for jobs') && Date.now() < end) await new Promise((done) => setTimeout(done, 100));
    stop.abort();
    expect(await running).toBe(0);
    expect(stderr.text).toMatch(/waiting for jobs on redis:\/\/alice:\*\*\*@127\.0\.0\.1:\d+/);
    expect(stderr.text).not.toMatch(/s3cret/);
  }, 30_000);
});
