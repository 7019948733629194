import * as tf from '@tensorflow/tfjs-core';
import { describeUnlearner } from '@unlearn/core/vitest';
import { syntheticClassification, tinyClassifier } from '@unlearn/core/testing';
import { lfSsd } from '../src/index.js';

// Unlabelled data throughout: LF-SSD must not need labels.
describeUnlearner('lf-ssd', {
  create: () => lfSsd({ alpha: 1.2, batchSize: 8 }),
  fixture: () => {
    const all = syntheticClassification({ n: 36, inputDim: 4, classes: 3, seed: 1 });
    const forget = tf.slice(all.x, 0, 12);
    return {
      model: tinyClassifier({ inputDim: 4, hidden: 8, classes: 3, seed: 1 }),
      request: { forget: { x: forget }, train: { x: all.x } },
      dispose: () => tf.dispose([all.x, all.y, forget]),
    };
  },
});
