import * as tf from '@tensorflow/tfjs-core';
import { describeUnlearner } from '@unlearn/core/vitest';
import { syntheticClassification, tinyClassifier } from '@unlearn/core/testing';
import { scrub } from '../src/index.js';

// Labels on the retain set only: SCRUB never reads forget labels (unless rewind is on). A larger
// learning rate than the reference's 5e-4 so that the strength check (maxSteps 1, 4, 16) sees
// clear differences on the tiny model.
describeUnlearner('scrub', {
  create: () => scrub({ learningRate: 0.05, batchSize: 8, forgetBatchSize: 8 }),
  fixture: () => {
    const all = syntheticClassification({ n: 36, inputDim: 4, classes: 3, seed: 1 });
    const forget = tf.slice(all.x, 0, 12);
    const retain = { x: tf.slice(all.x, 12, 24), y: tf.slice(all.y, 12, 24) };
    return {
      model: tinyClassifier({ inputDim: 4, hidden: 8, classes: 3, seed: 1 }),
      request: { forget: { x: forget }, retain },
      dispose: () => tf.dispose([all.x, all.y, forget, retain.x, retain.y]),
    };
  },
});
