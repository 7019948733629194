import type { Worker } from 'node:worker_threads';
import { defaultThreadCount, postTask, siblingModule, workerPool } from '@unlearn/core/node';
import type { WorkerReply, WorkerTask } from './protocol.js';

/** Cores, at most 4: beyond that the per-thread model copy and data transfer stop paying. */
export const defaultWorkerCount = defaultThreadCount;

const pool = workerPool(siblingModule(import.meta.url, 'importance-worker'));

export const acquireWorkers = (count: number): Worker[] => pool.acquire(count);
export const releaseWorkers = (workers: readonly Worker[]): void => pool.release(workers);
/** Terminates every idle importance worker (they are also unref'd, so this is optional). */
export const closeImportanceWorkers = (): Promise<void> => pool.close();

export interface TaskResult {
  means: Float32Array[];
  batches: number;
}

/** Runs one task on `worker`; a worker that errors, exits or is aborted is terminated. */
export async function runOnWorker(
  worker: Worker,
  task: Omit<WorkerTask, 'id'>,
  transfer: ArrayBuffer[],
  onBatch: () => void,
  signal?: AbortSignal,
): Promise<TaskResult> {
  const reply = await postTask<WorkerReply>(worker, task, transfer, {
    name: 'importance worker',
    signal,
    interim: (m) => m.type === 'batch' && (onBatch(), true),
  });
  if (reply.type !== 'done') throw new Error(`importance worker: unexpected reply ${reply.type}`);
  return { means: reply.means, batches: reply.batches };
}
