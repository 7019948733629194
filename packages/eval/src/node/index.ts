import { benchmark as runBenchmark } from '../benchmark.js';
import type { BenchmarkOptions } from '../benchmark-options.js';
import type { BenchmarkReport } from '../report.js';
import { fileRetrainCache } from './file-cache.js';

export { fileRetrainCache } from './file-cache.js';
export { writeReport } from './write-report.js';

export interface NodeBenchmarkOptions extends BenchmarkOptions {
  /** Folder where retrained references are kept between runs (ignored when `cache` is given). */
  cacheDir?: string;
}

/** `benchmark` with `cacheDir`: retrained references are saved to and reused from that folder. */
export function benchmark(options: NodeBenchmarkOptions): Promise<BenchmarkReport> {
  const { cacheDir, ...rest } = options;
  return runBenchmark(cacheDir !== undefined && !rest.cache ? { ...rest, cache: fileRetrainCache(cacheDir) } : rest);
}
