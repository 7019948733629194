import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { afterAll, describe, expect, it } from 'vitest';
import { accumulateImportance, importanceObjective, isUnlearnError, planWorkerThreads, toModelAdapter, type ImportanceObjective, type ProgressEvent } from '../src/index.js';
import { canReplicate, closeReplicaWorkers, openReplicaSession, parallelImportance } from '../src/node/index.js';
import { maxRelativeDifference as maxRelativeDiff, syntheticImages, tinyCnn } from '../src/testing/index.js';

afterAll(() => closeReplicaWorkers());

const images = (n: number, seed: number) => syntheticImages({ n, seed });

/** A layer the worker threads do not know: registered in this file only. */
class HalfLayer extends tfl.layers.Layer {
  static className = 'UnlearnTestHalf';
  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => tf.mul(Array.isArray(inputs) ? inputs[0]! : inputs, 0.5));
  }
}
tf.serialization.registerClass(HalfLayer);

const reduceOf: Record<ImportanceObjective, 'square' | 'abs'> = { 'cross-entropy': 'square', 'squared-logit-norm': 'abs' };

describe('parallelImportance', () => {
  // 75 samples in batches of 8: 10 batches, the last one partial.
  it('gives the single-thread importance (within 1e-6 relative) on 2 and 3 threads, every batch reported once', async () => {
    const model = tinyCnn({ size: 8, filters: 4, classes: 3, seed: 5 });
    const data = images(75, 9);
    const before = tf.memory().numTensors;
    for (const objective of ['cross-entropy', 'squared-logit-norm'] as const) {
      const options = { batchSize: 8, loss: importanceObjective(objective), reduce: reduceOf[objective] };
      const single = await accumulateImportance(toModelAdapter(model), data, options);
      for (const threads of [2, 3]) {
        const done: ProgressEvent[] = [];
        const split = await parallelImportance(model, data, { objective, reduce: reduceOf[objective], batchSize: 8, threads, onProgress: (e) => done.push(e) });
        expect(done).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10].map((step) => ({ phase: 'importance', step, total: 10 })));
        expect(await maxRelativeDiff(single, split)).toBeLessThan(1e-6);
        tf.dispose(split);
      }
      // Not vacuous: the importances are not zero.
      const peak = tf.max(single[0]!);
      expect((await peak.data())[0]).toBeGreaterThan(0);
      peak.dispose();
      tf.dispose(single);
    }
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([data.x, data.y]);
    model.dispose();
  });
});

describe('a replica session', () => {
  it('computes two importance tasks while loading the model once, with the current weights each time', async () => {
    const model = tinyCnn({ size: 8, filters: 2, classes: 3, seed: 7 });
    const data = images(40, 3);
    const adapter = toModelAdapter(model);
    const o = { objective: 'cross-entropy', reduce: 'square', batchSize: 8 } as const;
    const session = openReplicaSession(model, 1);
    try {
      const inSession = async () => {
        const { batches, sums } = await (await session.dispatchImportance(data.x, data.y, o)).collect();
        expect(batches).toBe(5);
        const means = sums.map((s) => tf.div(s, batches));
        tf.dispose(sums);
        return means;
      };
      const here = () => accumulateImportance(adapter, data, { batchSize: 8, loss: importanceObjective(o.objective), reduce: o.reduce });
      const first = await inSession();
      const expectedFirst = await here();
      expect(await maxRelativeDiff(expectedFirst, first)).toBeLessThan(1e-6);
      tf.tidy(() => model.setWeights(model.getWeights().map((w) => tf.mul(w, 0.5))));
      const second = await inSession();
      const expectedSecond = await here();
      expect(await maxRelativeDiff(expectedSecond, second)).toBeLessThan(1e-6);
      expect(await maxRelativeDiff(first, second)).toBeGreaterThan(1e-3);
      expect(session.modelLoads).toBe(1);
      tf.dispose([...first, ...second, ...expectedFirst, ...expectedSecond]);
    } finally {
      session.close();
    }
    tf.dispose([data.x, data.y]);
    model.dispose();
  });

  it('[bad input] a worker\'s UnlearnError (no labels for the cross-entropy) → the caller gets it, code and all; the model stays replicable', async () => {
    const model = tinyCnn({ size: 8, filters: 2, classes: 3, seed: 7 });
    const data = images(16, 3);
    const session = openReplicaSession(model, 1);
    try {
      // No labels for the cross-entropy: the worker's first task fails after it built the model.
      const dispatched = await session.dispatchImportance(data.x, undefined, { objective: 'cross-entropy', reduce: 'square', batchSize: 8 });
      const error = await dispatched.collect().catch((e: unknown) => e);
      expect(isUnlearnError(error, 'MISSING_LABELS')).toBe(true);
    } finally {
      session.close();
    }
    expect(canReplicate(model)).toBe(true);
    tf.dispose([data.x, data.y]);
    model.dispose();
  });

  it('[fault] a worker cannot build the model (unknown custom layer) → that share runs here, and later plans say why', async () => {
    const input = tfl.input({ shape: [64] });
    const hidden = tfl.layers.dense({ units: 6, activation: 'relu' }).apply(new HalfLayer({}).apply(input)) as tfl.SymbolicTensor;
    const model = tfl.model({ inputs: input, outputs: tfl.layers.dense({ units: 3 }).apply(hidden) as tfl.SymbolicTensor });
    const { x, y } = images(48, 4);
    const data = { x: tf.reshape(x, [48, 64]), y };
    x.dispose();
    const o = { objective: 'cross-entropy', reduce: 'square', batchSize: 8 } as const;
    const single = await accumulateImportance(toModelAdapter(model), data, { batchSize: 8, loss: importanceObjective(o.objective), reduce: o.reduce });
    const done: ProgressEvent[] = [];
    const split = await parallelImportance(model, data, { ...o, threads: 2, onProgress: (e) => done.push(e) });
    expect(done).toEqual([1, 2, 3, 4, 5, 6].map((step) => ({ phase: 'importance', step, total: 6 })));
    expect(await maxRelativeDiff(single, split)).toBeLessThan(1e-6);
    expect(canReplicate(model)).toBe(false);
    expect(await planWorkerThreads(toModelAdapter(model), { threads: 2, rows: 6, autoMinRows: 1, unit: 'batch' })).toMatchObject({
      threads: 1,
      reason: expect.stringContaining('could not rebuild the model'),
    });
    tf.dispose([...single, ...split, data.x, data.y]);
    model.dispose();
  });
});
