import * as tf from '@tensorflow/tfjs-core';
import { describeUnlearner } from '@unlearn/core/vitest';
import { syntheticClassification } from '@unlearn/core/testing';
import { negGradPlus } from '../src/index.js';
import { trainedClassifier } from './helpers.js';

// A small recipe so each check runs in well under a second, on a model fitted to the data (the
// strength check runs forgetWeight at 0.05, 0.2 and 0.8, and plain NegGrad's epochs at 1, 4, 16).
const fixture = () => {
  const all = syntheticClassification({ n: 36, inputDim: 4, classes: 3, seed: 1 });
  // Class 0 is forgotten (rows 0, 3, 6, ...), the other classes kept.
  const labels = Array.from(all.y.dataSync());
  const rows = (keep: (label: number) => boolean) => tf.tensor1d(labels.flatMap((l, i) => (keep(l) ? [i] : [])), 'int32');
  const [f, r] = [rows((l) => l === 0), rows((l) => l !== 0)];
  const forget = { x: tf.gather(all.x, f), y: tf.gather(all.y, f) };
  const retain = { x: tf.gather(all.x, r), y: tf.gather(all.y, r) };
  tf.dispose([f, r]);
  return {
    model: trainedClassifier(all, { inputDim: 4, hidden: 8, classes: 3, seed: 1 }),
    request: { forget, retain },
    dispose: () => tf.dispose([all.x, all.y, forget.x, forget.y, retain.x, retain.y]),
  };
};

describeUnlearner('neggrad-plus', {
  create: () => negGradPlus({ epochs: 3, batchSize: 8, forgetBatchSize: 4, learningRate: 0.2 }),
  fixture,
});

describeUnlearner('neggrad (forgetWeight 1)', {
  create: () => negGradPlus({ preset: 'neggrad', epochs: 1, batchSize: 2, learningRate: 0.01 }),
  fixture,
});
