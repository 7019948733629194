import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { afterAll, describe, expect, it } from 'vitest';
import { planWorkerThreads, toModelAdapter, type FunctionModel } from '../src/index.js';
import { canReplicate, closeReplicaWorkers, parallelForward, splitRows } from '../src/node/index.js';
import { tinyClassifier, tinyCnn } from '../src/testing/index.js';

afterAll(() => closeReplicaWorkers());

const valuesOf = async (t: tf.Tensor) => {
  const v = Array.from(await t.data());
  t.dispose();
  return v;
};

/** A layer the worker threads do not know: registered in this file only. */
class DoubleLayer extends tfl.layers.Layer {
  static className = 'UnlearnTestDouble';
  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => tf.mul(Array.isArray(inputs) ? inputs[0]! : inputs, 2));
  }
}
tf.serialization.registerClass(DoubleLayer);

describe('splitRows', () => {
  it('covers every row once, the first shares one longer, no empty share', () => {
    expect(splitRows(10, 3)).toEqual([
      { begin: 0, size: 4 },
      { begin: 4, size: 3 },
      { begin: 7, size: 3 },
    ]);
    expect(splitRows(2, 4)).toEqual([
      { begin: 0, size: 1 },
      { begin: 1, size: 1 },
    ]);
    expect(splitRows(5, 0)).toEqual([]);
  });
});

describe('parallelForward', () => {
  it('gives the single-thread logits and probabilities of a CNN, in row order, on 2 and 3 threads', async () => {
    const model = tinyCnn({ size: 8, filters: 4, classes: 3 });
    const x = tf.randomUniform([37, 8, 8, 1], 0, 1, 'float32', 3);
    const adapter = toModelAdapter(model);
    const before = tf.memory().numTensors;
    for (const output of ['logits', 'probabilities'] as const) {
      const expected = await valuesOf(output === 'logits' ? adapter.logits(x) : adapter.probabilities(x));
      for (const threads of [2, 3]) {
        const got = await valuesOf(await parallelForward(model, x, { output, threads, chunkRows: 5 }));
        expect(got).toHaveLength(expected.length);
        got.forEach((v, i) => expect(v).toBeCloseTo(expected[i]!, 6));
      }
    }
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose(x);
    model.dispose();
  });

  it('sends the current weights with every call: a change on this thread reaches the workers', async () => {
    const model = tinyClassifier({ inputDim: 4, classes: 3 });
    const x = tf.randomNormal([20, 4], 0, 1, 'float32', 5);
    const first = await valuesOf(await parallelForward(model, x, { output: 'logits', threads: 2, chunkRows: 8 }));
    model.setWeights(model.getWeights().map((w) => tf.mul(w, 0.5)));
    const expected = await valuesOf(toModelAdapter(model).logits(x));
    const second = await valuesOf(await parallelForward(model, x, { output: 'logits', threads: 2, chunkRows: 8 }));
    expect(second.slice(10)).not.toEqual(first.slice(10));
    second.forEach((v, i) => expect(v).toBeCloseTo(expected[i]!, 6));
    tf.dispose(x);
    model.dispose();
  });

  it('computes on this thread the rows of a worker that cannot rebuild the model (unknown custom layer)', async () => {
    const input = tfl.input({ shape: [4] });
    const doubled = new DoubleLayer({}).apply(input) as tfl.SymbolicTensor;
    const output = tfl.layers.dense({ units: 3 }).apply(doubled) as tfl.SymbolicTensor;
    const model = tfl.model({ inputs: input, outputs: output });
    const x = tf.randomNormal([12, 4], 0, 1, 'float32', 7);
    const expected = await valuesOf(toModelAdapter(model).logits(x));
    const got = await valuesOf(await parallelForward(model, x, { output: 'logits', threads: 2, chunkRows: 4 }));
    got.forEach((v, i) => expect(v).toBeCloseTo(expected[i]!, 6));
    // Remembered: later calls start no worker for it, and plans say why.
    expect(canReplicate(model)).toBe(false);
    const again = await valuesOf(await parallelForward(model, x, { output: 'logits', threads: 2, chunkRows: 4 }));
    again.forEach((v, i) => expect(v).toBeCloseTo(expected[i]!, 6));
    expect(await planWorkerThreads(toModelAdapter(model), { threads: 2, rows: 12, autoMinRows: 1 })).toMatchObject({
      threads: 1,
      reason: expect.stringContaining('could not rebuild the model'),
    });
    tf.dispose(x);
    model.dispose();
  });

  it('rejects with an abort error when the signal is already aborted', async () => {
    const model = tinyClassifier({ inputDim: 4 });
    const x = tf.randomNormal([10, 4]);
    const controller = new AbortController();
    controller.abort();
    await expect(parallelForward(model, x, { output: 'logits', threads: 2, chunkRows: 4, signal: controller.signal })).rejects.toMatchObject({
      code: 'ABORTED',
    });
    tf.dispose(x);
    model.dispose();
  });
});

describe('planWorkerThreads', () => {
  it('stays on one thread for function models, small automatic runs and an explicit 1, and says why', async () => {
    const model = tinyClassifier({ inputDim: 4 });
    const adapter = toModelAdapter(model);
    const fn: FunctionModel = { variables: adapter.trainable.map((v) => v.variable), apply: (x) => adapter.logits(x) };
    expect(await planWorkerThreads(toModelAdapter(fn), { threads: 2, rows: 100, autoMinRows: 1 })).toMatchObject({
      threads: 1,
      reason: 'function models cannot be sent to worker threads',
    });
    expect(await planWorkerThreads(adapter, { rows: 99, autoMinRows: 100 })).toMatchObject({ threads: 1, reason: 'fewer than 100 rows' });
    // The automatic threshold may count something else than the work is shared out in.
    const bySamples = { rows: 40, unit: 'batch', autoMinRows: 512, autoCount: { count: 511, unit: 'sample' } };
    expect(await planWorkerThreads(adapter, bySamples)).toMatchObject({ threads: 1, reason: 'fewer than 512 samples' });
    expect((await planWorkerThreads(adapter, { ...bySamples, autoCount: { count: 512, unit: 'sample' } })).reason ?? '').not.toMatch(/fewer than/);
    expect(await planWorkerThreads(adapter, { threads: 1, rows: 1e6, autoMinRows: 1 })).toEqual({ threads: 1 });
    const plan = await planWorkerThreads(adapter, { threads: 3, rows: 2, autoMinRows: 1 });
    expect(plan.threads).toBe(2);
    expect(plan.forward).toBeTypeOf('function');
    model.dispose();
  });
});
