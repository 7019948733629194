import type { ProgressEvent } from '../contract/unlearner.js';

/**
 * Public passes report progress as `unlearn()` does, with `ProgressEvent`s; inside, their loops
 * (and the worker-thread messages) only tick once per batch. This is the one place one becomes the
 * other: the per-batch tick a pass calls once per batch done, reporting `{ phase, step, total }` to
 * `onProgress` with `step` counting 1, 2, … (monotonic, as `ProgressEvent` asks); undefined when
 * nobody listens. Passes on several threads share one tick, so the count spans them all.
 */
export function batchProgress(phase: string, onProgress: ((event: ProgressEvent) => void) | undefined, total?: number): (() => void) | undefined {
  if (!onProgress) return undefined;
  let step = 0;
  return () => onProgress({ phase, step: ++step, ...(total === undefined ? {} : { total }) });
}
