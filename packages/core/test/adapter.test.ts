import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { toModelAdapter } from '../src/index.js';
import { tinyClassifier, tinyCnn } from '../src/testing/index.js';

describe('layers adapter', () => {
  it('exposes logits under a final softmax, and softmax(logits) equals the model output', async () => {
    const model = tinyClassifier({ inputDim: 5, classes: 4 });
    const a = toModelAdapter(model);
    const x = tf.randomNormal([6, 5], 0, 1, 'float32', 1);
    const logits = a.logits(x);
    const probs = model.predict(x) as tf.Tensor;
    const fromLogits = tf.softmax(logits);
    expect(tf.max(tf.abs(tf.sub(fromLogits, probs))).dataSync()[0]).toBeLessThan(1e-6);
    // The logits are not probabilities (rows do not sum to 1).
    expect(Math.abs(tf.sum(tf.slice(logits, [0, 0], [1, 4])).dataSync()[0]! - 1)).toBeGreaterThan(1e-3);
    // The model's own output keeps its softmax afterwards.
    const again = model.predict(x) as tf.Tensor;
    expect(tf.max(tf.abs(tf.sub(again, probs))).dataSync()[0]).toBe(0);
    expect(a.inputShape).toEqual([5]);
    expect(a.numClasses).toBe(4);
    expect(a.trainable.map((v) => v.variable.shape)).toEqual([[5, 16], [16], [16, 4], [4]]);
    tf.dispose([x, logits, probs, fromLogits, again]);
    model.dispose();
  });

  it('clones into independent variables with equal values', async () => {
    const model = tinyCnn();
    const a = toModelAdapter(model);
    const b = await a.clone();
    expect(b.model).not.toBe(model);
    for (let i = 0; i < a.variables.length; i++) {
      expect(Array.from(await b.variables[i]!.variable.data())).toEqual(Array.from(await a.variables[i]!.variable.data()));
    }
    b.trainable[0]!.variable.assign(tf.zerosLike(b.trainable[0]!.variable));
    expect(tf.sum(tf.abs(a.trainable[0]!.variable)).dataSync()[0]).toBeGreaterThan(0);
    b.dispose();
    model.dispose();
  });

  it('lists non-trainable state (batch-norm statistics) after the trainable weights', async () => {
    const tfl = await import('@tensorflow/tfjs-layers');
    const model = tfl.sequential({
      layers: [tfl.layers.dense({ inputShape: [3], units: 4 }), tfl.layers.batchNormalization(), tfl.layers.dense({ units: 2 })],
    });
    const a = toModelAdapter(model);
    expect(a.trainable.length).toBe(6);
    expect(a.variables.length).toBe(8);
    expect(a.variables.slice(6).every((v) => !v.trainable)).toBe(true);
    expect(a.logits).toBeTypeOf('function');
    model.dispose();
  });
});
