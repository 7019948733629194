import '../tfjs-runtime.js';

export { describeUnlearner } from './conformance.js';
export { conformanceChecks, runConformance } from './checks.js';
export type { ConformanceCheck, ConformanceFixture, ConformanceOptions, ConformanceOutcome } from './checks.js';
export { seedWeights, syntheticClassification, tinyClassifier, tinyCnn } from './fixtures.js';
