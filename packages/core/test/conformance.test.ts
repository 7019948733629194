import * as tf from '@tensorflow/tfjs-core';
import { describeUnlearner } from '../src/testing/index.js';
import { noopUnlearner } from '../src/index.js';
import { syntheticClassification, tinyClassifier } from '../src/testing/index.js';
import { gradientAscent } from './helpers.js';

const fixture = () => {
  const data = syntheticClassification({ n: 9, inputDim: 4, classes: 3 });
  return { model: tinyClassifier({ inputDim: 4, classes: 3 }), request: { forget: data }, dispose: () => tf.dispose([data.x, data.y]) };
};

// The suite run against a method that changes weights, and against the no-op runner check.
describeUnlearner('gradient ascent (test method)', { create: () => gradientAscent(), fixture });
describeUnlearner('noop', { create: () => noopUnlearner({ steps: 2 }), fixture, changesWeights: false });
