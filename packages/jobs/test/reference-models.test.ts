import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { createUnlearner, toModelAdapter, unlearn } from '@unlearn/core';
import { fullClass, neuripsScore, ulira } from '@unlearn/eval';
import { describe, expect, it } from 'vitest';
import { embeddedDriver, folderStore, trainReferenceModels, type JobEvent } from '../src/index.js';
import { REFERENCE_MODELS, useTinyProblem, weightsOf } from './helpers.js';

describe('reference models of ulira and neuripsScore as jobs (embedded driver)', () => {
  const tiny = useTinyProblem();

  const train = async (k: number, events: JobEvent[] = []) => {
    const store = folderStore(join(tiny.dir, 'store'));
    const driver = embeddedDriver(store);
    try {
      return await trainReferenceModels({ ...REFERENCE_MODELS, k, model: tiny.problem.model, data: tiny.problem.data, store, driver, onProgress: (e) => events.push(e) });
    } finally {
      await driver.close();
    }
  };

  it('stores the models a single-process loop would train, feeds them to ulira and neuripsScore, and leaks no tensor', async () => {
    const before = tf.memory().numTensors;
    const events: JobEvent[] = [];
    const refs = await train(3, events);
    expect(events.filter((e) => e.status === 'done')).toHaveLength(6);

    // What ulira's train callback would do in one process: model `index` of a side is one seeded run.
    const splits = await fullClass(0).split(tiny.problem.data, 0);
    const request = { forget: splits.forgetTrain, retain: splits.retainTrain, train: tiny.problem.data.train };
    const sides = { positive: REFERENCE_MODELS.unlearn, negative: REFERENCE_MODELS.retrain };
    for (const side of ['positive', 'negative'] as const) {
      const stored = await refs.load(side);
      for (let index = 0; index < 3; index++) {
        const out = await unlearn(tiny.problem.model, request, createUnlearner(sides[side].name, sides[side].options), { seed: index });
        const direct = toModelAdapter(out.model);
        expect(await weightsOf(stored[index]!)).toEqual(await weightsOf(direct));
        direct.dispose();
      }
      // Independent runs, not one model K times.
      expect(await weightsOf(stored[1]!)).not.toEqual(await weightsOf(stored[0]!));
      stored.forEach((m) => m.dispose());
    }

    const attack = await ulira({ examples: splits.forgetTrain, k: 3, train: refs.train, names: { positive: 'unlearned', negative: 'retrained' }, log: () => {} });
    expect(attack.auc).toBeGreaterThanOrEqual(0);
    expect(attack.auc).toBeLessThanOrEqual(1);
    const unlearned = await refs.load('positive');
    const retrained = await refs.load('negative');
    const score = await neuripsScore({ unlearned, retrained, forget: splits.forgetTrain, retain: splits.retainTrain, test: splits.test });
    [...unlearned, ...retrained].forEach((m) => m.dispose());
    expect(score.models).toBe(3);
    expect(score.forgetQuality).toBeGreaterThanOrEqual(0);
    expect(score.retrained.perModel).toHaveLength(3);
    splits.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('reuses the stored models when K grows: only the new indices are trained', async () => {
    const events: JobEvent[] = [];
    const refs = await train(4, events);
    expect(events.filter((e) => e.status === 'done').map((e) => e.job.spec.runSeed)).toEqual([3, 3]);
    expect(events.filter((e) => e.status === 'cached')).toHaveLength(6);
    expect(refs.results.positive.map((r) => r.runSeed)).toEqual([0, 1, 2, 3]);
    await expect(refs.train({ side: 'negative', index: 4 })).rejects.toThrow(/an index below 4/);
  });
});
