import * as tf from '@tensorflow/tfjs-core';
import { describeUnlearner } from '@unlearn/core/vitest';
import { syntheticClassification, tinyClassifier, tinyCnn } from '@unlearn/core/testing';
import { gradientAscent } from '../src/index.js';

// 9 samples in batches of 4 give 3 steps, so progress and abort are exercised between steps.
describeUnlearner('gradient-ascent (dense)', {
  create: () => gradientAscent({ lr: 0.05, batchSize: 4 }),
  fixture: () => {
    const data = syntheticClassification({ n: 9, inputDim: 4, classes: 3 });
    return { model: tinyClassifier({ inputDim: 4, classes: 3 }), request: { forget: data }, dispose: () => tf.dispose([data.x, data.y]) };
  },
});

describeUnlearner('gradient-ascent (cnn)', {
  create: () => gradientAscent({ lr: 0.05, batchSize: 3, epochs: 2 }),
  fixture: () => {
    const x = tf.randomUniform([7, 8, 8, 1], 0, 1, 'float32', 3);
    const y = tf.tensor1d([0, 1, 2, 0, 1, 2, 0], 'int32');
    return { model: tinyCnn({ size: 8, classes: 3 }), request: { forget: { x, y } }, dispose: () => tf.dispose([x, y]) };
  },
});
