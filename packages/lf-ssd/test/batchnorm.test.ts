import * as tf from '@tensorflow/tfjs-core';
import { hashWeights, toModelAdapter, unlearn } from '@unlearn/core';
import { syntheticClassification, tinyBatchNormClassifier } from '@unlearn/core/testing';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import { afterAll, describe, expect, it } from 'vitest';
import { lfSsd } from '../src/index.js';

// docs/algorithms/lf-ssd.md: SSD's semantics without labels: inference-mode importances, γ and β
// dampened like any parameter, batch-norm statistics never touched.
const all = syntheticClassification({ n: 36, inputDim: 8, classes: 3, seed: 5 });
const train = { x: all.x };
const forget = { x: tf.slice(all.x, 0, 12) };
afterAll(() => tf.dispose([all.x, all.y, forget.x]));

describe('lf-ssd with batch normalisation and dropout', () => {
  it('dampens γ and β like any parameter and never the moving statistics; deterministic (dropout off)', async () => {
    const model = tinyBatchNormClassifier({ seed: 4 });
    const tensors = tf.memory().numTensors;
    const hashes: string[] = [];
    for (let run = 0; run < 2; run++) {
      const result = await unlearn(model, { forget, train }, lfSsd({ alpha: 1, batchSize: 12 }));
      const perVariable = result.details.perVariable;
      expect(perVariable.some((v) => /moving_/.test(v.name))).toBe(false);
      const bn = perVariable.filter((v) => /\/(gamma|beta)$/.test(v.name));
      expect(bn).toHaveLength(2);
      expect(bn.reduce((n, v) => n + v.selected, 0)).toBeGreaterThan(0);
      expect(result.changes.filter((c) => !c.trainable).map((c) => c.changed)).toEqual([0, 0]);
      expect(result.layers.every((l) => l.stateChanged === 0)).toBe(true);
      hashes.push(await hashWeights(toModelAdapter(result.model)));
      (result.model as LayersModel).dispose();
    }
    expect(hashes[1]).toBe(hashes[0]);
    expect(tf.memory().numTensors).toBe(tensors);
    model.dispose();
  });
});
