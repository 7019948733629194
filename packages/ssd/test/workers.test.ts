import * as tf from '@tensorflow/tfjs-core';
import { fromBatches, hashWeights, isUnlearnError, toModelAdapter, unlearn, type FunctionModel, type ProgressEvent } from '@unlearn/core';
import * as tfl from '@tensorflow/tfjs-layers';
import { maxRelativeDifference as maxRelativeDiff, syntheticClassification, syntheticImages, tinyCnn } from '@unlearn/core/testing';
import { expectUnlearnError } from '@unlearn/core/vitest';
import { afterAll, describe, expect, it } from 'vitest';
import { computeImportances, fisherImportance, lossFreeImportance, ssd } from '../src/index.js';
import { importanceWithPlan } from '../src/importance.js';
import { closeImportanceWorkers, parallelImportance, splitBatches } from '../src/node/index.js';

afterAll(() => closeImportanceWorkers());

const images = (n: number, seed: number) => syntheticImages({ n, seed });

describe('splitBatches', () => {
  it('gives contiguous runs that cover every batch once, longer runs first', () => {
    expect(splitBatches(7, 3)).toEqual([{ start: 0, count: 3 }, { start: 3, count: 2 }, { start: 5, count: 2 }]);
    expect(splitBatches(2, 4)).toEqual([{ start: 0, count: 1 }, { start: 1, count: 1 }]);
  });
});

describe('importance on worker threads', () => {
  // 203 samples in batches of 16: 13 batches, the last one partial, split 7/6 over 2 threads.
  it('matches the single-thread Fisher and loss-free importances within 1e-6 relative', async () => {
    const model = tinyCnn({ size: 8, filters: 4, classes: 3, seed: 5 });
    const data = images(203, 9);
    for (const kind of ['fisher', 'loss-free'] as const) {
      const single = await importanceWithPlan(model, data, kind, { batchSize: 16, threads: 1 });
      const batches: ProgressEvent[] = [];
      const parallel = await importanceWithPlan(model, data, kind, {
        batchSize: 16,
        threads: 2,
        onProgress: (e) => batches.push(e),
      });
      expect(single.plan.threads).toBe(1);
      expect(parallel.plan.threads).toBe(2);
      expect(batches).toEqual(Array.from({ length: 13 }, (_, i) => ({ phase: 'importance', step: i + 1, total: 13 })));
      expect(await maxRelativeDiff(single.tensors, parallel.tensors)).toBeLessThan(1e-6);
      // Not vacuous: the importances are not zero.
      expect((await tf.max(single.tensors[0]!).data())[0]).toBeGreaterThan(0);
      tf.dispose([...single.tensors, ...parallel.tensors]);
    }
    tf.dispose([data.x, data.y]);
    model.dispose();
  });

  it('falls back to one thread for function models and streamed data, saying why', async () => {
    const layers = tinyCnn({ size: 8, filters: 2, classes: 3, seed: 2 });
    const adapter = toModelAdapter(layers);
    const fn: FunctionModel = {
      variables: adapter.trainable.map((v) => v.variable),
      apply: (x, { training }) => adapter.logits(x, { training }),
      numClasses: 3,
    };
    const data = images(40, 3);
    const viaFn = await importanceWithPlan(fn, data, 'fisher', { batchSize: 8, threads: 2 });
    expect(viaFn.plan).toMatchObject({ threads: 1, reason: 'function models cannot be sent to worker threads' });
    const stream = fromBatches(
      async function* (bs) {
        for (let s = 0; s < 40; s += bs) yield { x: tf.slice(data.x, s, Math.min(bs, 40 - s)), y: tf.slice(data.y, s, Math.min(bs, 40 - s)) };
      },
      { size: 40, hasLabels: true },
    );
    const viaStream = await importanceWithPlan(layers, stream, 'fisher', { batchSize: 8, threads: 2 });
    expect(viaStream.plan).toMatchObject({ threads: 1, reason: 'streamed data is read in-process' });
    const unsized = fromBatches(
      async function* () {
        yield { x: tf.slice(data.x, 0, 8), y: tf.slice(data.y, 0, 8) };
      },
      { hasLabels: true },
    );
    const viaUnsized = await importanceWithPlan(layers, unsized, 'fisher', { batchSize: 8, threads: 2 });
    expect(viaUnsized.plan).toMatchObject({ threads: 1, reason: 'streamed data is read in-process' });
    tf.dispose(viaUnsized.tensors);
    expect(await maxRelativeDiff(viaFn.tensors, viaStream.tensors)).toBeLessThan(1e-6);
    tf.dispose([...viaFn.tensors, ...viaStream.tensors, data.x, data.y]);
    layers.dispose();
  });

  it('stays in-process by default below the automatic threshold', async () => {
    const model = tinyCnn({ size: 8, filters: 2, classes: 3, seed: 2 });
    const data = images(40, 3);
    const auto = await importanceWithPlan(model, data, 'fisher', { batchSize: 8 });
    expect(auto.plan.threads).toBe(1);
    expect(auto.plan.reason).toMatch(/fewer than 512 samples/);
    tf.dispose([...auto.tensors, data.x, data.y]);
    model.dispose();
  });

  it('runs ssd() with threads: 2 to the single-thread result, and aborts cleanly', async () => {
    const model = tinyCnn({ size: 8, filters: 4, classes: 3, seed: 5 });
    const train = images(203, 9);
    const forget = { x: tf.slice(train.x, 0, 70), y: tf.slice(train.y, 0, 70) };
    const one = await unlearn(model, { forget, train }, ssd({ alpha: 2, batchSize: 16, threads: 1 }));
    const two = await unlearn(model, { forget, train }, ssd({ alpha: 2, batchSize: 16, threads: 2 }));
    expect(two.details.threads).toEqual({ forget: 2, train: 2 });
    expect(one.details.threads).toEqual({ forget: 1, train: 1 });
    expect(two.details.selected).toBe(one.details.selected);
    expect(await maxRelativeDiff(toModelAdapter(one.model).trainable.map((v) => v.variable), toModelAdapter(two.model).trainable.map((v) => v.variable))).toBeLessThan(1e-6);

    const before = await hashWeights(toModelAdapter(model));
    const controller = new AbortController();
    const error = await unlearn(model, { forget, train }, ssd({ batchSize: 16, threads: 2 }), {
      inPlace: true,
      signal: controller.signal,
      onProgress: (e) => e.step >= 2 && controller.abort(),
    }).catch((e: unknown) => e);
    expect(isUnlearnError(error, 'ABORTED')).toBe(true);
    expect(await hashWeights(toModelAdapter(model))).toBe(before);
    [one.model, two.model, model].forEach((m) => m.dispose());
    tf.dispose([train.x, train.y, forget.x, forget.y]);
  });

  it('computes a share in-process when a worker cannot load the model (custom layer)', async () => {
    // Registered on this thread only, so the worker's loadLayersModel fails with "Unknown layer".
    class Doubler extends tfl.layers.Layer {
      static className = 'SsdTestDoubler';
      override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
        return tf.mul(Array.isArray(inputs) ? inputs[0]! : inputs, 2);
      }
    }
    tf.serialization.registerClass(Doubler);
    const model = tfl.sequential({
      layers: [tfl.layers.dense({ inputShape: [64], units: 6, activation: 'relu' }), new Doubler({}), tfl.layers.dense({ units: 3 })],
    });
    const { x, y } = syntheticClassification({ n: 96, inputDim: 64, classes: 3, seed: 4 });
    const single = await importanceWithPlan(model, { x, y }, 'fisher', { batchSize: 16, threads: 1 });
    const events: ProgressEvent[] = [];
    const parallel = await importanceWithPlan(model, { x, y }, 'fisher', { batchSize: 16, threads: 2, onProgress: (e) => events.push(e) });
    expect(parallel.plan.threads).toBe(2);
    expect(events).toEqual([1, 2, 3, 4, 5, 6].map((step) => ({ phase: 'importance', step, total: 6 })));
    expect(await maxRelativeDiff(single.tensors, parallel.tensors)).toBeLessThan(1e-6);
    tf.dispose([...single.tensors, ...parallel.tensors, x, y]);
    model.dispose();
  });

  it('[bad input] the former option name workers → INVALID_OPTION saying it is now threads, nothing computed', async () => {
    const model = tinyCnn({ size: 8, filters: 2, classes: 3, seed: 2 });
    const data = images(16, 3);
    const before = tf.memory().numTensors;
    // Untyped callers (JavaScript, old code): the option objects have no schema to catch it.
    const old = { batchSize: 8, workers: 4 } as { batchSize: number };
    const renamed = /option "workers".*now called "threads"/;
    await expectUnlearnError(fisherImportance(model, data, old), 'INVALID_OPTION', renamed);
    await expectUnlearnError(lossFreeImportance(model, data, old), 'INVALID_OPTION', renamed);
    await expectUnlearnError(computeImportances(model, data, { ...old, kind: 'fisher' }), 'INVALID_OPTION', renamed);
    await expectUnlearnError(parallelImportance(model, data, { ...old, kind: 'fisher', threads: 2 }), 'INVALID_OPTION', renamed);
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([data.x, data.y]);
    model.dispose();
  });

  it('[bad input] the former progress option onBatch → INVALID_OPTION saying it is now onProgress, nothing computed', async () => {
    const model = tinyCnn({ size: 8, filters: 2, classes: 3, seed: 2 });
    const data = images(16, 3);
    const before = tf.memory().numTensors;
    let called = 0;
    const old = { batchSize: 8, onBatch: () => called++ } as { batchSize: number };
    const renamed = /option "onBatch".*now called "onProgress"/;
    await expectUnlearnError(fisherImportance(model, data, old), 'INVALID_OPTION', renamed);
    await expectUnlearnError(lossFreeImportance(model, data, old), 'INVALID_OPTION', renamed);
    await expectUnlearnError(computeImportances(model, data, { ...old, kind: 'loss-free' }), 'INVALID_OPTION', renamed);
    await expectUnlearnError(parallelImportance(model, data, { ...old, kind: 'fisher', threads: 2 }), 'INVALID_OPTION', renamed);
    expect(called).toBe(0);
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([data.x, data.y]);
    model.dispose();
  });
});
