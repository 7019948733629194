import * as tf from '@tensorflow/tfjs-core';
import { toModelAdapter, unlearn, type UnlearnResult } from '@unlearn/core';
import { syntheticClassification, tinyBatchNormClassifier } from '@unlearn/core/testing';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import { afterAll, describe, expect, it } from 'vitest';
import { finetune, retrain } from '../src/index.js';

// docs/algorithms/retrain.md: both baselines train in training mode, so batch normalisation uses
// batch statistics, updates its moving ones, and dropout is active, as Keras's fit does.
const data = syntheticClassification({ n: 48, inputDim: 8, classes: 3, seed: 6 });
const retain = { x: tf.slice(data.x, 0, 32), y: tf.slice(data.y, 0, 32) };
const forget = { x: tf.slice(data.x, 32, 16), y: tf.slice(data.y, 32, 16) };
afterAll(() => tf.dispose([data.x, data.y, retain.x, retain.y, forget.x, forget.y]));

const recipe = { epochs: 2, batchSize: 8, learningRate: 0.01 };
const statsChanged = (r: UnlearnResult) => r.changes.filter((c) => !c.trainable).map((c) => c.changed);

describe('retrain and finetune with batch normalisation and dropout', () => {
  for (const [name, method] of [
    ['retrain', () => retrain(recipe)],
    ['finetune', () => finetune(recipe)],
  ] as const) {
    it(`${name} updates the moving statistics (and reports them per layer)`, async () => {
      const model = tinyBatchNormClassifier({ seed: 3 });
      const tensors = tf.memory().numTensors;
      const result = await unlearn(model, { forget, retain }, method(), { seed: 1 });
      expect(statsChanged(result)).toEqual([16, 16]);
      const bn = result.layers.find((l) => l.variables.some((v) => v.endsWith('/moving_mean')))!;
      expect(bn.stateChanged).toBe(32);
      // Retrain re-draws the statistics as 0 and 1 first, so "changed" alone could be the re-initialisation.
      const stat = (suffix: string) => toModelAdapter(result.model).variables.find((v) => v.name.endsWith(suffix))!.variable.data();
      expect(Array.from(await stat('/moving_mean')).every((v) => v !== 0)).toBe(true);
      expect(Array.from(await stat('/moving_variance')).every((v) => v > 0 && v !== 1)).toBe(true);
      (result.model as LayersModel).dispose();
      expect(tf.memory().numTensors).toBe(tensors);
      model.dispose();
    });
  }
});
