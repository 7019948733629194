export { describeUnlearner } from './conformance.js';
export type { ConformanceFixture, ConformanceOptions } from './conformance.js';
export { seedWeights, syntheticClassification, tinyClassifier, tinyCnn } from './fixtures.js';
