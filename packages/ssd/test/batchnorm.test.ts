import * as tf from '@tensorflow/tfjs-core';
import { hashWeights, toModelAdapter, unlearn } from '@unlearn/core';
import { syntheticClassification, tinyBatchNormClassifier } from '@unlearn/core/testing';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import { afterAll, describe, expect, it } from 'vitest';
import { ssd } from '../src/index.js';

// docs/algorithms/ssd.md: importances in inference mode; γ and β are parameters like any other;
// the batch-norm statistics are state, never dampened.
const train = syntheticClassification({ n: 36, inputDim: 8, classes: 3, seed: 5 });
const forget = { x: tf.slice(train.x, 0, 12), y: tf.slice(train.y, 0, 12) };
afterAll(() => tf.dispose([train.x, train.y, forget.x, forget.y]));

describe('ssd with batch normalisation and dropout', () => {
  it('dampens γ and β like any parameter and never the moving statistics; deterministic (dropout off)', async () => {
    const model = tinyBatchNormClassifier({ seed: 4 });
    const stats = toModelAdapter(model).variables.filter((v) => !v.trainable);
    const before = await Promise.all(stats.map(async (v) => Array.from(await v.variable.data())));
    const tensors = tf.memory().numTensors;
    const hashes: string[] = [];
    for (let run = 0; run < 2; run++) {
      // α 1 selects whatever matters more to the forget set: enough to reach every layer.
      const result = await unlearn(model, { forget, train }, ssd({ alpha: 1, batchSize: 12 }));
      const perVariable = result.details.perVariable;
      expect(perVariable.map((v) => v.name.split('/')[1])).not.toContain('moving_mean');
      expect(perVariable.map((v) => v.name.split('/')[1])).not.toContain('moving_variance');
      for (const role of ['/gamma', '/beta']) {
        const selected = perVariable.find((v) => v.name.endsWith(role))!.selected;
        expect(selected, role).toBeGreaterThan(0);
        // With α = λ = 1 a selected entry's factor I_train / I_forget is below 1, so each one changes.
        expect(result.changes.find((c) => c.name.endsWith(role))!.changed, role).toBe(selected);
      }
      expect(result.changes.filter((c) => !c.trainable).map((c) => c.changed)).toEqual([0, 0]);
      expect(result.layers.every((l) => l.stateChanged === 0)).toBe(true);
      const after = toModelAdapter(result.model).variables.filter((v) => !v.trainable);
      expect(await Promise.all(after.map(async (v) => Array.from(await v.variable.data())))).toEqual(before);
      hashes.push(await hashWeights(toModelAdapter(result.model)));
      (result.model as LayersModel).dispose();
    }
    expect(hashes[1]).toBe(hashes[0]);
    expect(tf.memory().numTensors).toBe(tensors);
    model.dispose();
  });
});
