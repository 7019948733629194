import * as tf from '@tensorflow/tfjs-core';
import { autoUnlearn, hashWeights, toModelAdapter, unlearn } from '@unlearn/core';
import { syntheticClassification, tinyClassifier } from '@unlearn/core/testing';
import { describe, expect, it } from 'vitest';
import { AUTO_SIGMA_PER_STD, jit } from '../src/index.js';

describe('jit in auto mode (zero-shot: forget inputs only)', () => {
  it('raises lr from 1e-5 by factors of 3, measures against the original predictions, and the chosen trial equals a plain run', async () => {
    const model = tinyClassifier({ inputDim: 4, hidden: 16, classes: 3, seed: 5 });
    const data = syntheticClassification({ n: 90, inputDim: 4, classes: 3, seed: 5 });
    model.compile({ optimizer: tf.train.adam(0.05), loss: 'sparseCategoricalCrossentropy' });
    const yFloat = tf.cast(data.y, 'float32');
    await model.fit(data.x, yFloat, { epochs: 40, batchSize: 90, verbose: 0 });
    const idx = tf.tensor1d(Array.from({ length: 30 }, (_, i) => 3 * i), 'int32');
    const forget = { x: tf.gather(data.x, idx) };
    try {
      const before = await hashWeights(toModelAdapter(model));
      const method = jit({ nSamples: 4, batchSize: 10, sigma: 0.5 });
      const auto = await autoUnlearn(model, { forget }, method, { maxTrials: 6, seed: 2 });
      expect(await hashWeights(toModelAdapter(model))).toBe(before);
      expect(auto.option).toBe('lr');
      expect(auto.target.against).toBe('original-predictions');
      expect(auto.target.source).toBe('one-class');
      const lrs = auto.trials.map((t) => t.strength);
      expect(lrs[0]).toBe(1e-5);
      if (lrs.length > 1) expect(lrs[1]).toBeCloseTo(3e-5, 12);
      expect(auto.trials.length).toBeLessThanOrEqual(6);
      // Some trial is always kept (here the weakest of equals); it is exactly a plain run at its lr.
      const chosen = auto.trials[auto.chosen!]!;
      const plain = await unlearn(model, { forget }, jit({ nSamples: 4, batchSize: 10, sigma: 0.5, lr: chosen.strength }), { seed: 2 });
      expect(await hashWeights(toModelAdapter(auto.result!.model))).toBe(await hashWeights(toModelAdapter(plain.model)));
      plain.model.dispose();
      auto.result!.model.dispose();
    } finally {
      model.dispose();
      tf.dispose([data.x, data.y, yFloat, idx, forget.x]);
    }
  });

  it("sigma 'auto' is AUTO_SIGMA_PER_STD times the forget inputs' standard deviation, and gives that run's weights", async () => {
    const model = tinyClassifier({ inputDim: 4, hidden: 8, classes: 3, seed: 6 });
    const x = tf.tensor2d([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11], [3, 4]);
    try {
      const auto = await unlearn(model, { forget: { x } }, jit({ sigma: 'auto', nSamples: 3, batchSize: 3, lr: 0.01 }), { seed: 4 });
      const std = Math.sqrt(143 / 12); // population std of 0..11
      expect(auto.details.inputStd).toBeCloseTo(std, 4);
      expect(auto.details.sigma).toBeCloseTo(AUTO_SIGMA_PER_STD * std, 4);
      const plain = await unlearn(model, { forget: { x } }, jit({ sigma: auto.details.sigma, nSamples: 3, batchSize: 3, lr: 0.01 }), { seed: 4 });
      expect(await hashWeights(toModelAdapter(auto.model))).toBe(await hashWeights(toModelAdapter(plain.model)));
      auto.model.dispose();
      plain.model.dispose();
      const constant = tf.ones([2, 4]);
      await expect(unlearn(model, { forget: { x: constant } }, jit({ sigma: 'auto' }))).rejects.toThrow(/sigma 'auto' needs forget inputs that vary/);
      constant.dispose();
    } finally {
      model.dispose();
      x.dispose();
    }
  });
});
