import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { accumulateImportance, gradientsOf, toModelAdapter, type ProgressEvent } from '../src/index.js';
import { syntheticClassification, tinyClassifier } from '../src/testing/index.js';

describe('accumulateImportance', () => {
  it('averages squared (or absolute) batch gradients over batches, the partial one included', async () => {
    const model = tinyClassifier({ inputDim: 3, classes: 2, hidden: 4 });
    const a = toModelAdapter(model);
    const data = syntheticClassification({ n: 5, inputDim: 3, classes: 2 });
    const loss = (m: typeof a, b: { x: tf.Tensor; y?: tf.Tensor1D }) =>
      tf.losses.softmaxCrossEntropy(tf.oneHot(b.y!, 2), m.logits(b.x)) as tf.Scalar;
    const vars = a.trainable.map((v) => v.variable);
    // Batches of 2: [0,1], [2,3], [4] → M = 3.
    const manual = (reduce: (g: tf.Tensor) => tf.Tensor) =>
      tf.tidy(() => {
        const parts = [[0, 2], [2, 2], [4, 1]].map(([s, n]) => {
          const b = { x: tf.slice(data.x, s!, n!), y: tf.slice(data.y, s!, n!) as tf.Tensor1D };
          return gradientsOf(() => loss(a, b), vars).grads.map(reduce);
        });
        return vars.map((_, i) => tf.div(tf.addN(parts.map((p) => p[i]!)), 3));
      });
    for (const [reduce, fn] of [['square', tf.square], ['abs', tf.abs]] as const) {
      const events: ProgressEvent[] = [];
      const got = await accumulateImportance(a, data, { batchSize: 2, loss, reduce, onProgress: (e) => events.push(e) });
      expect(events).toEqual([1, 2, 3].map((step) => ({ phase: 'importance', step, total: 3 })));
      const want = manual(fn);
      got.forEach((g, i) => {
        const err = tf.norm(tf.sub(g, want[i]!)).dataSync()[0]! / Math.max(tf.norm(want[i]!).dataSync()[0]!, 1e-12);
        expect(err).toBeLessThan(1e-6);
      });
      tf.dispose([...got, ...want]);
    }
    tf.dispose([data.x, data.y]);
    model.dispose();
  });

  it('leaks nothing and rejects an empty dataset', async () => {
    const model = tinyClassifier({ inputDim: 3, classes: 2, hidden: 4 });
    const a = toModelAdapter(model);
    const loss = (m: typeof a, b: { x: tf.Tensor }) => tf.mean(tf.sum(tf.square(m.logits(b.x)), 1)) as tf.Scalar;
    const x = tf.randomNormal([4, 3]);
    const before = tf.memory().numTensors;
    const out = await accumulateImportance(a, { x }, { batchSize: 3, loss, reduce: 'abs' });
    tf.dispose(out);
    expect(tf.memory().numTensors).toBe(before);
    const empty = tf.zeros([0, 3]);
    await expect(accumulateImportance(a, { x: empty }, { batchSize: 3, loss, reduce: 'abs' })).rejects.toThrow(/empty/);
    expect(tf.memory().numTensors).toBe(before + 1);
    tf.dispose([x, empty]);
    model.dispose();
  });
});
