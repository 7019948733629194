import { availableParallelism } from 'node:os';
import type { Worker } from 'node:worker_threads';
import { abortError, UnlearnError, type UnlearnErrorCode } from '../../errors.js';
import { siblingModule } from '../start-worker.js';
import { workerPool } from '../worker-pool.js';
import type { ReplicaReply, ReplicaTaskMessage, ReplyTo } from './protocol.js';

/** Threads for a parallel pass by default: the cores, at most 4 (beyond that the per-thread model copy stops paying). */
export function defaultThreadCount(): number {
  return Math.max(1, Math.min(4, availableParallelism()));
}

const pool = workerPool(siblingModule(import.meta.url, 'replica-worker'));
/** The model each worker holds, so that a model is sent to a worker only once. */
const holds = new WeakMap<Worker, number>();
/** Tasks in flight per worker: a worker is ref'd (keeps the process alive) while it has any. */
const inFlight = new WeakMap<Worker, number>();
let nextId = 1;

export const acquireReplicas = (count: number): Worker[] => pool.acquire(count);
export const releaseReplicas = (workers: readonly Worker[]): void => pool.release(workers);
/** Terminates every idle replica worker (they are unref'd, so this is optional). */
export const closeReplicaWorkers = (): Promise<void> => pool.close();

export function workerHolds(worker: Worker, modelKey: number): boolean {
  return holds.get(worker) === modelKey;
}

type TaskWithoutId = ReplicaTaskMessage extends infer T ? (T extends ReplicaTaskMessage ? Omit<T, 'id'> : never) : never;

/**
 * Runs one task on `worker` (tasks on one worker run in the order posted); a worker that
 * errors, exits or is aborted is terminated.
 */
export function runOnReplica<T extends TaskWithoutId>(
  worker: Worker,
  task: T,
  transfer: ArrayBuffer[],
  signal?: AbortSignal,
): Promise<ReplyTo<T['kind']>> {
  const id = nextId++;
  return new Promise((resolve, reject) => {
    const cleanup = () => {
      worker.off('message', onMessage);
      worker.off('error', onError);
      worker.off('exit', onExit);
      signal?.removeEventListener('abort', onAbort);
      const left = (inFlight.get(worker) ?? 1) - 1;
      inFlight.set(worker, left);
      if (left === 0) worker.unref();
    };
    const fail = (error: unknown) => {
      cleanup();
      holds.delete(worker);
      void worker.terminate();
      reject(error);
    };
    const onMessage = (m: ReplicaReply) => {
      if (m.id !== id) return;
      cleanup();
      if (m.type !== 'error') {
        holds.set(worker, task.modelKey);
        resolve(m as ReplyTo<T['kind']>);
      } else {
        holds.delete(worker);
        reject(m.code ? new UnlearnError(m.code as UnlearnErrorCode, m.message) : new Error(`replica worker: ${m.message}`));
      }
    };
    const onError = (error: Error) => fail(error);
    const onExit = (code: number) => fail(new Error(`replica worker exited with code ${code}`));
    const onAbort = () => fail(abortError(signal?.reason));
    if (signal?.aborted) {
      holds.delete(worker);
      void worker.terminate();
      return reject(abortError(signal.reason));
    }
    worker.on('message', onMessage);
    worker.on('error', onError);
    worker.on('exit', onExit);
    signal?.addEventListener('abort', onAbort, { once: true });
    inFlight.set(worker, (inFlight.get(worker) ?? 0) + 1);
    worker.ref();
    worker.postMessage({ ...task, id }, transfer);
  });
}
