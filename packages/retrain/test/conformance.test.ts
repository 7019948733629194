import * as tf from '@tensorflow/tfjs-core';
import { describeUnlearner } from '@unlearn/core/vitest';
import { syntheticClassification, tinyClassifier } from '@unlearn/core/testing';
import { finetune, retrain } from '../src/index.js';

const fixture = () => {
  const forget = syntheticClassification({ n: 6, inputDim: 4, classes: 3, seed: 2 });
  const retain = syntheticClassification({ n: 24, inputDim: 4, classes: 3, seed: 3 });
  return {
    model: tinyClassifier({ inputDim: 4, classes: 3 }),
    request: { forget, retain },
    dispose: () => tf.dispose([forget.x, forget.y, retain.x, retain.y]),
  };
};

describeUnlearner('retrain', { create: () => retrain({ epochs: 2, batchSize: 8 }), fixture });
describeUnlearner('retrain (head)', { create: () => retrain({ epochs: 2, batchSize: 8, reinit: 'head' }), fixture });
describeUnlearner('finetune', { create: () => finetune({ epochs: 2, batchSize: 8 }), fixture });
