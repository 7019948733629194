import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { createRng, fromBatches, isUnlearnError, iterateBatches } from '../src/index.js';

describe('iterateBatches', () => {
  it('covers every sample once, last batch partial, labels as int32 indices', async () => {
    const x = tf.reshape(tf.range(0, 10), [10, 1]);
    const y = tf.oneHot(tf.tensor1d([0, 1, 2, 0, 1, 2, 0, 1, 2, 0], 'int32'), 3);
    const sizes: number[] = [];
    const seen: number[] = [];
    const labels: number[] = [];
    for await (const b of iterateBatches({ x, y }, 4)) {
      sizes.push(b.x.shape[0]);
      seen.push(...(await b.x.data()));
      expect(b.y!.dtype).toBe('int32');
      labels.push(...(await b.y!.data()));
    }
    expect(sizes).toEqual([4, 4, 2]);
    expect(seen).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(labels).toEqual([0, 1, 2, 0, 1, 2, 0, 1, 2, 0]);
    tf.dispose([x, y]);
  });

  it('shuffles reproducibly with a seeded generator, keeping x and y aligned', async () => {
    const x = tf.reshape(tf.range(0, 12), [12, 1]);
    const y = tf.range(0, 12, 1, 'int32');
    const order = async (seed: number) => {
      const out: number[] = [];
      for await (const b of iterateBatches({ x, y }, 5, { shuffle: createRng(seed) })) {
        const xs = await b.x.data();
        const ys = await b.y!.data();
        expect(Array.from(xs)).toEqual(Array.from(ys));
        out.push(...xs);
      }
      return out;
    };
    const a = await order(1);
    expect(await order(1)).toEqual(a);
    expect(await order(2)).not.toEqual(a);
    expect([...a].sort((p, q) => p - q)).toEqual(Array.from({ length: 12 }, (_, i) => i));
    tf.dispose([x, y]);
  });

  it('frees every batch, also when the loop is left early', async () => {
    const x = tf.zeros([9, 3]);
    const before = tf.memory().numTensors;
    for await (const b of iterateBatches({ x }, 2)) {
      expect(b.x.shape).toEqual([2, 3]);
      break;
    }
    for await (const _ of iterateBatches({ x }, 2)) {
      // consume all
    }
    expect(tf.memory().numTensors).toBe(before);
    x.dispose();
  });

  it('streams a BatchSource and disposes what it yields', async () => {
    const source = fromBatches(
      async function* (batchSize) {
        for (let i = 0; i < 3; i++) yield { x: tf.fill([batchSize, 2], i), y: tf.tensor1d([i, i], 'float32') };
      },
      { size: 6, hasLabels: true },
    );
    const before = tf.memory().numTensors;
    const firsts: number[] = [];
    for await (const b of iterateBatches(source, 2)) {
      firsts.push((await b.x.data())[0]!);
      expect(b.y!.dtype).toBe('int32');
    }
    expect(firsts).toEqual([0, 1, 2]);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('stops with ABORTED when the signal fires', async () => {
    const x = tf.zeros([10, 1]);
    const controller = new AbortController();
    const run = async () => {
      for await (const _ of iterateBatches({ x }, 2, { signal: controller.signal })) controller.abort();
    };
    const error = await run().catch((e: unknown) => e);
    expect(isUnlearnError(error, 'ABORTED')).toBe(true);
    x.dispose();
  });

  it('[bad input] a streamed batch with a NaN one-hot label row → LABEL_OUT_OF_RANGE naming the row (field, index), at that batch; no tensor leaked', async () => {
    // Typed as class indices, but JavaScript callers stream one-hot rows too (argMax reads them).
    const oneHot = (rows: number[][]) => tf.tensor2d(rows) as unknown as tf.Tensor1D;
    const source = fromBatches(
      async function* () {
        yield { x: tf.zeros([2, 1]), y: oneHot([[1, 0], [0, 1]]) };
        yield { x: tf.zeros([2, 1]), y: oneHot([[1, 0], [Number.NaN, 1]]) };
      },
      { hasLabels: true },
    );
    const before = tf.memory().numTensors;
    let batches = 0;
    const run = async () => {
      for await (const _ of iterateBatches(source, 2)) batches++;
    };
    const error = await run().catch((e: unknown) => e);
    expect(isUnlearnError(error, 'LABEL_OUT_OF_RANGE'), String(error)).toBe(true);
    expect((error as Error).message).toMatch(/row 3 .*NaN or Infinity/);
    expect(error).toMatchObject({ field: 'y', index: 3 });
    expect(batches).toBe(1);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('lets a timer abort a loop that never awaits anything slow (a synchronous backend)', async () => {
    const x = tf.zeros([2_000, 1]);
    const signal = AbortSignal.timeout(20);
    let batches = 0;
    const run = async () => {
      for await (const b of iterateBatches({ x }, 1, { signal })) {
        batches++;
        // Busy for 1 ms per batch, as a synchronous kernel would be: only a turn of the event loop lets the timer fire.
        const until = performance.now() + 1;
        while (performance.now() < until) void b;
      }
    };
    const error = await run().catch((e: unknown) => e);
    expect(isUnlearnError(error, 'ABORTED'), String(error)).toBe(true);
    expect(batches).toBeLessThan(2_000);
    x.dispose();
  });

  it('rejects a bad batch size', async () => {
    const x = tf.zeros([2, 1]);
    await expect(iterateBatches({ x }, 0).next()).rejects.toThrow(/batchSize/);
    x.dispose();
  });
});
