import '../tfjs-runtime.js';

// No vitest here: runConformance must load in any runner. describeUnlearner lives in @unlearn/core/vitest.

export { conformanceChecks, runConformance } from './checks.js';
export type { ConformanceCheck, ConformanceFixture, ConformanceOptions, ConformanceOutcome } from './checks.js';
export {
  fittedTinyClassifier,
  maxRelativeDifference,
  seedWeights,
  syntheticClassification,
  syntheticImages,
  tinyBatchNormClassifier,
  tinyClassifier,
  tinyCnn,
} from './fixtures.js';
