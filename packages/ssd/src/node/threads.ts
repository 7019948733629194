import { closeReplicaWorkers, defaultThreadCount } from '@unlearn/core/node';

/** Threads an importance pass uses by default: the cores, at most 4 (core's `defaultThreadCount`). */
export const defaultWorkerCount: () => number = defaultThreadCount;

/**
 * Terminates every idle worker thread. Importance passes run on core's replica workers, so this
 * is core's `closeReplicaWorkers` (they are unref'd, so calling it is optional).
 */
export const closeImportanceWorkers: () => Promise<void> = closeReplicaWorkers;
