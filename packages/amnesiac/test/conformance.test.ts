import * as tf from '@tensorflow/tfjs-core';
import { describeUnlearner } from '@unlearn/core/vitest';
import { syntheticClassification, tinyClassifier } from '@unlearn/core/testing';
import { amnesiac } from '../src/index.js';

describeUnlearner('amnesiac', {
  create: () => amnesiac({ epochs: 2, batchSize: 8, learningRate: 0.01 }),
  fixture: () => {
    const all = syntheticClassification({ n: 36, inputDim: 4, classes: 3, seed: 1 });
    const forget = { x: tf.slice(all.x, 0, 12), y: tf.slice(all.y, 0, 12) };
    const retain = { x: tf.slice(all.x, 12), y: tf.slice(all.y, 12) };
    return {
      model: tinyClassifier({ inputDim: 4, hidden: 8, classes: 3, seed: 1 }),
      request: { forget, retain },
      dispose: () => tf.dispose([all.x, all.y, forget.x, forget.y, retain.x, retain.y]),
    };
  },
});
