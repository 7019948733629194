import { fileURLToPath } from 'node:url';
import { startLocalRedis, type LocalRedis } from '@unlearn/jobs/redis';
import { afterAll, beforeAll } from 'vitest';
import { spawnWorker, stopWorker, type WorkerProcess } from '../../jobs/test/worker-process.js';

export { killWorker, stopWorker } from '../../jobs/test/worker-process.js';
export type Worker = WorkerProcess;

const PKG = fileURLToPath(new URL('..', import.meta.url));

/** An `unlearn worker` process from this package's sources. */
export function startWorker(name: string, redis: string, store: string): Worker {
  // Short lock and stall check, so a lost job is handed on within seconds (defaults: 60 s and 30 s).
  return spawnWorker(
    name,
    ['src/bin.ts', 'worker', '--queue', redis, '--store', store, '--name', name, '--lock-duration', '3000', '--stalled-interval', '1000', '--max-stalled', '5'],
    PKG,
  );
}

/** How many times each job (by the 12-hex prefix the worker prints) was started, over the workers' logs. */
export function startsByKey(workers: readonly Worker[]): Map<string, number> {
  const starts = new Map<string, number>();
  for (const w of workers) {
    for (const m of w.stderr.matchAll(/job ([0-9a-f]{12}) start/g)) starts.set(m[1]!, (starts.get(m[1]!) ?? 0) + 1);
  }
  return starts;
}

/**
 * A Redis on a free loopback port for the describe block, and the workers started in it, all
 * stopped after it: `start(name, store)` spawns one `unlearn worker` and keeps it for the cleanup.
 */
export function useRedisWorkers(): { url: () => string; workers: Worker[]; start: (name: string, store: string) => Worker } {
  let redis: LocalRedis | undefined;
  const workers: Worker[] = [];
  beforeAll(async () => {
    redis = await startLocalRedis();
  });
  afterAll(async () => {
    await Promise.all(workers.map((w) => stopWorker(w)));
    await redis?.stop();
  });
  const url = () => redis!.url;
  return {
    url,
    workers,
    start: (name, store) => {
      const w = startWorker(name, url(), store);
      workers.push(w);
      return w;
    },
  };
}
