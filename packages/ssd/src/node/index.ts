export { loadImportances, saveImportances } from './cache.js';
export { closeImportanceWorkers, defaultWorkerCount } from './pool.js';
export { parallelImportance, splitBatches } from './parallel.js';
export type { ParallelImportanceOptions } from './parallel.js';
