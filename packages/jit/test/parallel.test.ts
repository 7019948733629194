import * as tf from '@tensorflow/tfjs-core';
import { toModelAdapter, unlearn, type FunctionModel } from '@unlearn/core';
import { closeReplicaWorkers } from '@unlearn/core/node';
import { syntheticClassification, tinyClassifier, tinyCnn } from '@unlearn/core/testing';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import { afterAll, describe, expect, it } from 'vitest';
import { AUTO_PARALLEL_ROWS, jit } from '../src/index.js';
import { noiseBlocks } from '../src/step.js';

afterAll(() => closeReplicaWorkers());

const base = { sigma: 0.3, lr: 0.05, nSamples: 6, batchSize: 5 };

async function weightsAfter(model: LayersModel, x: tf.Tensor, options: Parameters<typeof jit>[0]) {
  const result = await unlearn(model, { forget: { x } }, jit(options), { seed: 4 });
  const out = result.model as LayersModel;
  const weights = out.getWeights().map((w) => Array.from(w.dataSync()));
  out.dispose();
  return { weights, details: result.details };
}

describe('noiseBlocks', () => {
  const draws = (blocks: ReturnType<typeof noiseBlocks>) => blocks.map((b) => b.n1 - b.n0);

  it('covers every (draw, row) once, in stream order, within the limit', () => {
    for (const [n, rows, limit, threads] of [
      [25, 64, 668, 1],
      [25, 64, 668, 2],
      [25, 64, 668, 3],
      [5, 10, 4, 2],
      [3, 7, 100, 4],
    ] as const) {
      const blocks = noiseBlocks(n, rows, limit, false, threads);
      const seen: string[] = [];
      for (const b of blocks) {
        expect((b.n1 - b.n0) * (b.i1 - b.i0)).toBeLessThanOrEqual(limit);
        for (let d = b.n0; d < b.n1; d++) for (let i = b.i0; i < b.i1; i++) seen.push(`${d}:${i}`);
      }
      const expected: string[] = [];
      for (let d = 0; d < n; d++) for (let i = 0; i < rows; i++) expected.push(`${d}:${i}`);
      // Stream order is draw-major within a block and block by block; as a set, everything once.
      expect(new Set(seen).size).toBe(seen.length);
      expect([...seen].sort()).toEqual([...expected].sort());
      expect(blocks.every((b, k) => k === 0 || b.n0 > blocks[k - 1]!.n0 || b.i0 > blocks[k - 1]!.i0)).toBe(true);
    }
  });

  it('keeps the one-thread chunks (as many whole draws as fit) and evens them out for several threads', () => {
    expect(draws(noiseBlocks(25, 64, 668, false))).toEqual([10, 10, 5]);
    expect(draws(noiseBlocks(25, 64, 668, false, 2))).toEqual([7, 6, 6, 6]);
    expect(draws(noiseBlocks(25, 64, 668, false, 3))).toEqual([9, 8, 8]);
    expect(draws(noiseBlocks(4, 64, 668, true, 1))).toEqual([1, 1, 1, 1]);
    // One draw larger than the limit: slices of rows, one draw at a time.
    expect(noiseBlocks(2, 10, 4, false, 2).map((b) => [b.n0, b.i0, b.i1])).toEqual([
      [0, 0, 4],
      [0, 4, 8],
      [0, 8, 10],
      [1, 0, 4],
      [1, 4, 8],
      [1, 8, 10],
    ]);
  });
});

describe('noisy forwards on several threads', () => {
  it('gives the single-thread weights on a CNN, with 2 and 3 threads, and says how many it used', async () => {
    const model = tinyCnn({ size: 8, filters: 4, classes: 3 });
    const x = tf.randomUniform([12, 8, 8, 1], 0, 1, 'float32', 2);
    // chunkSize 7 makes every thread loop over several chunks, and the last one partial.
    const one = await weightsAfter(model, x, { ...base, threads: 1, chunkSize: 7 });
    expect(one.details).toMatchObject({ threads: 1 });
    const before = tf.memory().numTensors;
    for (const threads of [2, 3]) {
      const many = await weightsAfter(model, x, { ...base, threads, chunkSize: 7 });
      expect(many.details).toMatchObject({ threads });
      many.weights.forEach((w, i) => w.forEach((v, j) => expect(v).toBeCloseTo(one.weights[i]![j]!, 6)));
    }
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose(x);
    model.dispose();
  });

  it('stays on one thread, and says why, for function models, training mode and small automatic runs', async () => {
    const model = tinyClassifier({ inputDim: 4, classes: 3 });
    const data = syntheticClassification({ n: 10, inputDim: 4, classes: 3 });
    const adapter = toModelAdapter(model);
    const fn: FunctionModel = { variables: adapter.trainable.map((v) => v.variable), apply: (x) => adapter.logits(x) };
    const viaFunction = await unlearn(fn, { forget: { x: data.x } }, jit({ ...base, threads: 2 }), { inPlace: true });
    expect(viaFunction.details).toMatchObject({ threads: 1, threadsNote: 'function models cannot be sent to worker threads' });
    const training = await weightsAfter(model, data.x, { ...base, threads: 2, training: true });
    expect(training.details).toMatchObject({ threads: 1, threadsNote: 'training mode keeps each draw in one forward' });
    const auto = await weightsAfter(model, data.x, base);
    expect(10 * base.nSamples).toBeLessThan(AUTO_PARALLEL_ROWS);
    expect(auto.details).toMatchObject({ threads: 1, threadsNote: `fewer than ${AUTO_PARALLEL_ROWS} rows` });
    tf.dispose([data.x, data.y]);
    model.dispose();
  });

  it('an abort mid-run on two threads leaves the model as it was, and the next run still works', async () => {
    const model = tinyCnn({ size: 8, filters: 4, classes: 3 });
    const x = tf.randomUniform([20, 8, 8, 1], 0, 1, 'float32', 6);
    const before = model.getWeights().map((w) => Array.from(w.dataSync()));
    const controller = new AbortController();
    const run = unlearn(model, { forget: { x } }, jit({ ...base, threads: 2, chunkSize: 7 }), {
      inPlace: true,
      signal: controller.signal,
      onProgress: (e) => e.step === 2 && controller.abort(),
    });
    await expect(run).rejects.toMatchObject({ code: 'ABORTED' });
    model.getWeights().forEach((w, i) => expect(Array.from(w.dataSync())).toEqual(before[i]));
    const again = await unlearn(model, { forget: { x } }, jit({ ...base, threads: 2 }));
    expect(again.details).toMatchObject({ threads: 2, steps: 4 });
    (again.model as LayersModel).dispose();
    tf.dispose(x);
    model.dispose();
  });

  it('rejects a threads count that is not a positive integer, and the former name workers', () => {
    expect(() => jit({ threads: 0 }).validate?.()).toThrow(/threads/);
    expect(() => jit({ threads: 1.5 }).validate?.()).toThrow(/threads/);
    expect(() => jit({ workers: 2 } as never).validate?.()).toThrow(/unknown option "workers"; it is now called "threads"/);
  });
});
