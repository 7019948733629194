import * as tf from '@tensorflow/tfjs-core';
import { hashWeights, toModelAdapter, unlearn, type UnlearnResult } from '@unlearn/core';
import { syntheticClassification, tinyBatchNormClassifier } from '@unlearn/core/testing';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import { afterAll, describe, expect, it } from 'vitest';
import { jit } from '../src/index.js';

// docs/guide/models.md, Batch normalisation and dropout: JiT's passes run in inference mode unless
// `training: true`, which (like the reference's PyTorch train mode) drops units and moves the statistics.
const data = syntheticClassification({ n: 16, inputDim: 8, classes: 3, seed: 3 });
afterAll(() => tf.dispose([data.x, data.y]));
const options = { sigma: 0.5, lr: 0.05, nSamples: 4, batchSize: 8 };

const stateChanged = (r: UnlearnResult) => r.changes.filter((c) => !c.trainable).map((c) => c.changed);
const changedOf = (r: UnlearnResult, suffix: string) => r.changes.find((c) => c.name.endsWith(suffix))!.changed;

async function runTwice(training: boolean) {
  const model = tinyBatchNormClassifier({ seed: 2 });
  const results = [];
  for (let i = 0; i < 2; i++) {
    const result = await unlearn(model, { forget: { x: data.x } }, jit({ ...options, training }), { seed: 7 });
    results.push({ result, hash: await hashWeights(toModelAdapter(result.model)) });
    (result.model as LayersModel).dispose();
  }
  model.dispose();
  return results;
}

describe('jit with batch normalisation and dropout', () => {
  it('by default leaves the moving statistics untouched, smooths γ and β, and is deterministic (dropout off)', async () => {
    const tensors = tf.memory().numTensors;
    const [first, second] = await runTwice(false);
    expect(stateChanged(first!.result)).toEqual([0, 0]);
    expect(first!.result.layers.every((l) => l.stateChanged === 0)).toBe(true);
    expect(changedOf(first!.result, '/gamma')).toBeGreaterThan(0);
    expect(changedOf(first!.result, '/beta')).toBeGreaterThan(0);
    expect(second!.hash).toBe(first!.hash);
    expect(tf.memory().numTensors).toBe(tensors);
  });

  it('with training: true moves the statistics and drops units (two runs of one seed differ)', async () => {
    const [first, second] = await runTwice(true);
    expect(stateChanged(first!.result).every((n) => n > 0)).toBe(true);
    expect(first!.result.layers.some((l) => l.stateChanged > 0)).toBe(true);
    expect(second!.hash).not.toBe(first!.hash);
  });
});
