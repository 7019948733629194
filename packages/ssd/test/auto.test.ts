import * as tf from '@tensorflow/tfjs-core';
import { autoUnlearn, hashWeights, toModelAdapter, unlearn } from '@unlearn/core';
import { describe, expect, it } from 'vitest';
import { ssd } from '../src/index.js';
import { trainedTask } from './helpers.js';

describe('ssd in auto mode', () => {
  it('searches alpha downwards from 64 with the training importances computed once, leaving the model as it was', async () => {
    const task = await trainedTask(3);
    try {
      const before = await hashWeights(toModelAdapter(task.model));
      const { forget, train, validation } = task;
      const auto = await autoUnlearn(task.model, { forget, train, validation }, ssd({ batchSize: 8 }), { maxTrials: 8 });
      expect(await hashWeights(toModelAdapter(task.model))).toBe(before);
      expect(auto.option).toBe('alpha');
      expect(auto.trials.slice(0, 2).map((t) => t.strength)).toEqual([64, 32]);
      expect(auto.shared).toMatchObject({ importances: { kind: 'fisher', trainSamples: 36 } });
      expect(auto.result!.details.threads).toMatchObject({ forget: 'shared by the auto-mode search' });
      expect(auto.guard?.excludedClasses).toEqual([0]);
      expect(auto.chosen).not.toBeNull();
      // The shared importances give exactly what a plain run at the chosen alpha gives.
      const chosen = auto.trials[auto.chosen!]!;
      const plain = await unlearn(task.model, { forget, train }, ssd({ batchSize: 8, alpha: chosen.strength }));
      expect(await hashWeights(toModelAdapter(auto.result!.model))).toBe(await hashWeights(toModelAdapter(plain.model)));
      expect(auto.result!.details.importanceSource).toBe('cache');
      plain.model.dispose();
      auto.result!.model.dispose();
    } finally {
      task.model.dispose();
      task.dispose();
    }
  });

  it('frees the shared importances when the search is aborted', async () => {
    const task = await trainedTask(4);
    try {
      const tensors = tf.memory().numTensors;
      const controller = new AbortController();
      const { forget, train } = task;
      await expect(
        autoUnlearn(task.model, { forget, train }, ssd({ batchSize: 8 }), { signal: controller.signal, onTrial: () => controller.abort() }),
      ).rejects.toThrow(/aborted/);
      expect(tf.memory().numTensors).toBe(tensors);
    } finally {
      task.model.dispose();
      task.dispose();
    }
  });
});
