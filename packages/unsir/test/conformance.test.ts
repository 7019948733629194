import { describeUnlearner } from '@unlearn/core/vitest';
import { unsir } from '../src/index.js';
import { classForgetting } from './helpers.js';

// Forget class 0 of a fitted tiny classifier with a small recipe, so each check runs in about a
// second; the strength check runs impairLearningRate at 1e-5, 5.5e-4 and 0.03.
describeUnlearner('unsir', {
  create: () => unsir({ noiseBatch: 8, noiseSteps: 5, noiseCopies: 4, retainPerClass: 8, impairBatchSize: 8, repairBatchSize: 8, impairLearningRate: 0.01 }),
  fixture: classForgetting,
});
