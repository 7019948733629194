import { availableParallelism } from 'node:os';
import type { Worker } from 'node:worker_threads';
import { siblingModule } from '../start-worker.js';
import { workerPool } from '../worker-pool.js';
import { postTask } from '../worker-task.js';
import type { ReplicaReply, ReplicaTaskMessage, ReplyTo } from './protocol.js';

/** Threads for a parallel pass by default: the cores, at most 4 (beyond that the per-thread model copy stops paying). */
export function defaultThreadCount(): number {
  return Math.max(1, Math.min(4, availableParallelism()));
}

const pool = workerPool(siblingModule(import.meta.url, 'replica-worker'));
/** The model each worker holds, so that a model is sent to a worker only once. */
const holds = new WeakMap<Worker, number>();

export const acquireReplicas = (count: number): Worker[] => pool.acquire(count);
export const releaseReplicas = (workers: readonly Worker[]): void => pool.release(workers);
/** Terminates every idle replica worker (they are unref'd, so this is optional). */
export const closeReplicaWorkers = (): Promise<void> => pool.close();

export function workerHolds(worker: Worker, modelKey: number): boolean {
  return holds.get(worker) === modelKey;
}

/** A worker could not start its backend or build its replica of the model (say, an unknown custom layer). */
export class ReplicaBuildError extends Error {}

type TaskWithoutId = ReplicaTaskMessage extends infer T ? (T extends ReplicaTaskMessage ? Omit<T, 'id'> : never) : never;

/**
 * Runs one task on `worker` (tasks on one worker run in the order posted); a worker that
 * errors, exits or is aborted is terminated. `onBatch`: called on each batch note the task sends.
 */
export async function runOnReplica<T extends TaskWithoutId>(
  worker: Worker,
  task: T,
  transfer: ArrayBuffer[],
  o: { signal?: AbortSignal; onBatch?: () => void } = {},
): Promise<ReplyTo<T['kind']>> {
  try {
    const reply = await postTask<ReplicaReply>(worker, task, transfer, {
      name: 'replica worker',
      signal: o.signal,
      failure: (m) => (m.type === 'error' && m.replica ? new ReplicaBuildError(`replica worker could not build the model: ${m.message}`) : undefined),
      interim: (m) => {
        if (m.type !== 'batch') return false;
        o.onBatch?.();
        return true;
      },
    });
    holds.set(worker, task.modelKey);
    return reply as ReplyTo<T['kind']>;
  } catch (error) {
    holds.delete(worker);
    throw error;
  }
}
