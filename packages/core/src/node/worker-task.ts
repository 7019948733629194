import type { Worker } from 'node:worker_threads';
import { abortError, UnlearnError, type UnlearnErrorCode, type UnlearnErrorLocation } from '../errors.js';

/** What a worker answers a task with: every reply names the task; `type: 'error'` fails it. */
export interface TaskReply extends UnlearnErrorLocation {
  id: number;
  type: string;
  message?: string;
  code?: string;
}

export interface PostTaskOptions<R extends TaskReply> {
  /** Names the worker in errors ("replica worker exited with code 1"). */
  name: string;
  signal?: AbortSignal;
  /** Replies before the final one (progress); one that throws fails the task. */
  interim?: (reply: R) => boolean;
  /** The error an error reply rejects with, when it is not the default one. */
  failure?: (reply: R) => Error | undefined;
}

/** An error reply as an error: the worker's UnlearnError (code, message, location) when it carries a code. */
function errorOf(name: string, m: TaskReply): Error {
  if (!m.code) return new Error(`${name}: ${m.message}`);
  return new UnlearnError(m.code as UnlearnErrorCode, m.message ?? '', { split: m.split, field: m.field, index: m.index });
}

/** Tasks in flight per worker: a worker is ref'd (keeps the process alive) while it has any. */
const inFlight = new WeakMap<Worker, number>();
let nextId = 1;

/**
 * Posts `task` to `worker` under a fresh id and settles with the worker's final reply to it. An
 * error reply rejects (as an UnlearnError when it carries a code); an error event, an exit or an
 * abort terminates the worker and rejects. Several tasks may be out on one worker at once.
 */
export function postTask<R extends TaskReply>(
  worker: Worker,
  task: object,
  transfer: ArrayBuffer[],
  options: PostTaskOptions<R>,
): Promise<Exclude<R, { type: 'error' }>> {
  const { name, signal } = options;
  const id = nextId++;
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      void worker.terminate();
      reject(abortError(signal.reason));
      return;
    }
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
      void worker.terminate();
      reject(error);
    };
    const onMessage = (m: R) => {
      if (m.id !== id) return;
      if (m.type === 'error') {
        cleanup();
        reject(options.failure?.(m) ?? errorOf(name, m));
        return;
      }
      // An interim handler may throw (an abort seen by a progress listener): never from an event handler.
      try {
        if (options.interim?.(m)) return;
      } catch (error) {
        fail(error);
        return;
      }
      cleanup();
      resolve(m as Exclude<R, { type: 'error' }>);
    };
    const onError = (error: Error) => fail(error);
    const onExit = (code: number) => fail(new Error(`${name} exited with code ${code}`));
    const onAbort = () => fail(abortError(signal?.reason));
    worker.on('message', onMessage);
    worker.on('error', onError);
    worker.on('exit', onExit);
    signal?.addEventListener('abort', onAbort, { once: true });
    inFlight.set(worker, (inFlight.get(worker) ?? 0) + 1);
    worker.ref();
    worker.postMessage({ ...task, id }, transfer);
  });
}
