import * as tf from '@tensorflow/tfjs-core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import { diffWeights, hashWeights, snapshotWeights, toModelAdapter, unlearn } from '../src/index.js';
import { syntheticClassification, tinyClassifier } from '../src/testing/index.js';
import { gradientAscent } from './helpers.js';

let model: LayersModel;
let data: { x: tf.Tensor2D; y: tf.Tensor1D };
beforeEach(() => {
  model = tinyClassifier({ inputDim: 4, classes: 3 });
  data = syntheticClassification({ n: 12, inputDim: 4, classes: 3 });
});
afterEach(() => {
  model.dispose();
  tf.dispose([data.x, data.y]);
});

/** Counts `data()`/`dataSync()` calls per tensor storage while `run` runs. */
async function countReads<T>(run: () => Promise<T>): Promise<{ value: T; reads: (t: tf.Tensor) => number }> {
  const proto = tf.Tensor.prototype as unknown as Record<'data' | 'dataSync', (...args: unknown[]) => unknown>;
  const saved = { data: proto.data, dataSync: proto.dataSync };
  const counts = new Map<object, number>();
  for (const key of ['data', 'dataSync'] as const) {
    proto[key] = function (this: tf.Tensor, ...args: unknown[]) {
      counts.set(this.dataId, (counts.get(this.dataId) ?? 0) + 1);
      return saved[key].apply(this, args);
    };
  }
  try {
    return { value: await run(), reads: (t) => counts.get(t.dataId) ?? 0 };
  } finally {
    Object.assign(proto, saved);
  }
}

describe('unlearn() weight reads', () => {
  for (const inPlace of [false, true]) {
    it(`reads each weight to the CPU once before the run and once after (inPlace ${inPlace}); hashes and changes as hashWeights and diffWeights give them`, async () => {
      const originalVariables = toModelAdapter(model).variables.map((v) => v.variable);
      const hashBefore = await hashWeights(toModelAdapter(model));
      const snapshot = snapshotWeights(toModelAdapter(model));
      const { value: result, reads } = await countReads(() => unlearn(model, { forget: data }, gradientAscent(), { inPlace }));
      const after = toModelAdapter(result.model);

      expect(originalVariables.map(reads)).toEqual(originalVariables.map(() => 1));
      expect(after.variables.map((v) => reads(v.variable))).toEqual(after.variables.map(() => 1));
      expect(result.weightsSha256).toEqual({ before: hashBefore, after: await hashWeights(after) });
      expect(result.weightsSha256.after).not.toBe(hashBefore);
      expect(result.changes).toEqual(await diffWeights(snapshot, after));
      snapshot.dispose();
      if (!inPlace) after.dispose();
    });
  }

  it('checks the weights for NaN in that read, not with a pass of its own on the device', async () => {
    const variables = toModelAdapter(model).variables.length;
    const profile = await tf.profile(async () => {
      const result = await unlearn(model, { forget: data }, gradientAscent());
      toModelAdapter(result.model).dispose();
    });
    // One IsFinite for the forget inputs (core's data check); a weights pass would add one per variable.
    const finiteChecks = profile.kernels.filter((k) => k.name === 'IsFinite').length;
    expect(variables).toBeGreaterThan(1);
    expect(finiteChecks).toBe(1);
  });

  it('takes a ModelAdapter and returns one: the copy, the caller\'s adapter untouched', async () => {
    const adapter = toModelAdapter(model);
    const before = await hashWeights(adapter);
    const result = await unlearn(adapter, { forget: data }, gradientAscent());
    expect(result.model).not.toBe(adapter);
    expect(result.model.kind).toBe('layers');
    expect(await hashWeights(adapter)).toBe(before);
    expect(await hashWeights(result.model)).toBe(result.weightsSha256.after);
    result.model.dispose();
  });
});
