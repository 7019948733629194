import type { Worker } from 'node:worker_threads';
import { abortError, UnlearnError, type UnlearnErrorCode } from '@unlearn/core';
import { defaultThreadCount, siblingModule, workerPool } from '@unlearn/core/node';
import type { WorkerReply, WorkerTask } from './protocol.js';

/** Cores, at most 4: beyond that the per-thread model copy and data transfer stop paying. */
export const defaultWorkerCount = defaultThreadCount;

const pool = workerPool(siblingModule(import.meta.url, 'importance-worker'));
let nextId = 1;

export const acquireWorkers = (count: number): Worker[] => pool.acquire(count);
export const releaseWorkers = (workers: readonly Worker[]): void => pool.release(workers);
/** Terminates every idle importance worker (they are also unref'd, so this is optional). */
export const closeImportanceWorkers = (): Promise<void> => pool.close();

export interface TaskResult {
  means: Float32Array[];
  batches: number;
}

/** Runs one task on `worker`; a worker that errors or exits is not reused. */
export function runOnWorker(
  worker: Worker,
  task: Omit<WorkerTask, 'id'>,
  transfer: ArrayBuffer[],
  onBatch: () => void,
  signal?: AbortSignal,
): Promise<TaskResult> {
  const id = nextId++;
  return new Promise<TaskResult>((resolve, reject) => {
    const cleanup = () => {
      worker.off('message', onMessage);
      worker.off('error', onError);
      worker.off('exit', onExit);
      signal?.removeEventListener('abort', onAbort);
      worker.unref();
    };
    const fail = (error: unknown) => {
      cleanup();
      void worker.terminate();
      reject(error);
    };
    const onMessage = (m: WorkerReply) => {
      if (m.id !== id) return;
      if (m.type === 'batch') {
        // onBatch may throw (an abort seen by a progress listener); never from an event handler.
        try {
          onBatch();
        } catch (error) {
          fail(error);
        }
      } else if (m.type === 'done') {
        cleanup();
        resolve({ means: m.means, batches: m.batches });
      } else {
        cleanup();
        reject(m.code ? new UnlearnError(m.code as UnlearnErrorCode, m.message) : new Error(`importance worker: ${m.message}`));
      }
    };
    const onError = (error: Error) => fail(error);
    const onExit = (code: number) => fail(new Error(`importance worker exited with code ${code}`));
    const onAbort = () => fail(abortError(signal?.reason));
    if (signal?.aborted) return fail(abortError(signal.reason));
    worker.on('message', onMessage);
    worker.on('error', onError);
    worker.on('exit', onExit);
    signal?.addEventListener('abort', onAbort, { once: true });
    worker.ref();
    worker.postMessage({ ...task, id } satisfies WorkerTask, transfer);
  });
}
