import * as tf from '@tensorflow/tfjs-core';
import { describeUnlearner } from '@unlearn/core/vitest';
import { syntheticClassification, tinyClassifier, tinyCnn } from '@unlearn/core/testing';
import { jit } from '../src/index.js';

// Sigma and lr sized for these synthetic inputs (features ~N(0, 1.5²)); 9 samples in batches of 4
// give 3 steps, so progress and abort are exercised between batches.
describeUnlearner('jit (dense)', {
  create: () => jit({ sigma: 0.5, lr: 0.05, nSamples: 4, batchSize: 4 }),
  fixture: () => {
    const data = syntheticClassification({ n: 9, inputDim: 4, classes: 3 });
    return { model: tinyClassifier({ inputDim: 4, classes: 3 }), request: { forget: data }, dispose: () => tf.dispose([data.x, data.y]) };
  },
});

describeUnlearner('jit (cnn, accumulated gradients)', {
  create: () => jit({ sigma: 0.2, lr: 0.05, nSamples: 3, batchSize: 3, accumulateGradients: true, chunkSize: 4 }),
  fixture: () => {
    const x = tf.randomUniform([7, 8, 8, 1], 0, 1, 'float32', 3);
    return { model: tinyCnn({ size: 8, classes: 3 }), request: { forget: { x } }, dispose: () => x.dispose() };
  },
});
