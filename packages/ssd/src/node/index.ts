export { loadImportances, saveImportances } from './cache.js';
export { parallelImportance, splitBatches } from './parallel.js';
export type { ParallelImportanceOptions } from './parallel.js';
export { closeImportanceWorkers, defaultWorkerCount } from './threads.js';
