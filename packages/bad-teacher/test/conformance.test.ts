import * as tf from '@tensorflow/tfjs-core';
import { describeUnlearner } from '@unlearn/core/vitest';
import { syntheticClassification, tinyClassifier } from '@unlearn/core/testing';
import { badTeacher } from '../src/index.js';

// Unlabelled forget and retain sets: Bad Teacher must not need labels. A larger learning rate
// than the reference's 1e-4 so that the strength check (epochs 1, 6, 32) sees clear differences.
describeUnlearner('bad-teacher', {
  create: () => badTeacher({ learningRate: 0.01, batchSize: 8 }),
  fixture: () => {
    const all = syntheticClassification({ n: 36, inputDim: 4, classes: 3, seed: 1 });
    const forget = tf.slice(all.x, 0, 12);
    const retain = tf.slice(all.x, 12, 24);
    return {
      model: tinyClassifier({ inputDim: 4, hidden: 8, classes: 3, seed: 1 }),
      request: { forget: { x: forget }, retain: { x: retain } },
      dispose: () => tf.dispose([all.x, all.y, forget, retain]),
    };
  },
});
