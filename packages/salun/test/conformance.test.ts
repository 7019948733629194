import * as tf from '@tensorflow/tfjs-core';
import { describeUnlearner } from '@unlearn/core/vitest';
import { syntheticClassification, tinyClassifier } from '@unlearn/core/testing';
import { salun } from '../src/index.js';

// The concat order is covered in salun.test.ts (masked weights only, leak-free, same seed → same weights).
for (const order of ['alternate'] as const) {
  describeUnlearner(`salun (${order})`, {
    create: () => salun({ epochs: 2, batchSize: 8, learningRate: 0.05, order }),
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
}
