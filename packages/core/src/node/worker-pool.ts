import type { Worker } from 'node:worker_threads';
import { startWorker } from './start-worker.js';

/**
 * Idle workers of one kind, kept between calls because starting one loads tfjs and its backend,
 * which costs more (a few hundred ms) than many tasks. Workers are unref'd, so an idle one never
 * holds the process open.
 */
export interface WorkerPool {
  /** Takes `count` workers out of the idle list, starting new ones as needed. */
  acquire(count: number): Worker[];
  /** Puts healthy workers back; a worker that failed or was aborted mid-task is terminated instead. */
  release(workers: readonly Worker[]): void;
  /** Terminates every idle worker. */
  close(): Promise<void>;
}

/** A pool of workers running the module `entry` (see `startWorker`). */
export function workerPool(entry: URL): WorkerPool {
  const idle: Worker[] = [];
  const spawn = () => {
    const worker = startWorker(entry);
    worker.once('exit', () => {
      const i = idle.indexOf(worker);
      if (i >= 0) idle.splice(i, 1);
    });
    return worker;
  };
  return {
    acquire(count) {
      const out = idle.splice(0, count);
      while (out.length < count) out.push(spawn());
      return out;
    },
    release(workers) {
      idle.push(...workers);
    },
    async close() {
      const all = idle.splice(0, idle.length);
      await Promise.all(all.map((w) => w.terminate()));
    },
  };
}
