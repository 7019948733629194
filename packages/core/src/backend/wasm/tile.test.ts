import { describe, it, expect, beforeAll } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { kernel, onBoth, seeded, useWasm } from './test-helpers.js';

beforeAll(useWasm);

describe('wasm Tile', () => {
  const cases: { shape: number[]; reps: number[] }[] = [
    // BatchNormalization's gradient: a per-channel vector over the whole NHWC batch.
    { shape: [1, 1, 1, 5], reps: [3, 4, 2, 1] },
    { shape: [2, 3], reps: [2, 2] },
    { shape: [3, 1, 2], reps: [1, 4, 1] },
    { shape: [2, 2, 3], reps: [3, 1, 2] },
    { shape: [7], reps: [5] },
    { shape: [2, 3, 1, 2], reps: [1, 1, 1, 1] },
    { shape: [1, 2, 1, 3], reps: [2, 3, 4, 3] },
    { shape: [2, 0, 3], reps: [2, 2, 2] },
    { shape: [3, 2], reps: [0, 2] },
    // A scalar: no axis to copy along, so the original kernel takes it.
    { shape: [], reps: [] },
  ];
  for (const [i, c] of cases.entries()) {
    it(`tiles ${c.shape.join('x') || 'a scalar'} by ${c.reps.join('x') || '[]'} exactly as cpu`, async () => {
      const x = seeded(c.shape, 150 + i);
      const r = await onBoth(() => kernel('Tile', { x: tf.tensor(x, c.shape) }, { reps: c.reps }));
      expect(r.shape.wasm).toEqual(r.shape.cpu);
      expect(Array.from(r.wasm)).toEqual(Array.from(r.cpu));
      expect(r.leaked).toEqual({ buffers: 0, tensors: 0 });
    });
  }

  it('tiles int32 and bool tensors', async () => {
    const ints = await onBoth(() => tf.tile(tf.tensor2d([1, -2, 3, 4], [2, 2], 'int32'), [3, 2]));
    expect(Array.from(ints.wasm)).toEqual(Array.from(ints.cpu));
    const bools = await onBoth(() => tf.cast(tf.tile(tf.tensor1d([true, false, false], 'bool'), [3]), 'int32'));
    expect(Array.from(bools.wasm)).toEqual([1, 0, 0, 1, 0, 0, 1, 0, 0]);
  });

  it('is the gradient of a broadcast, as tf.grad takes it', async () => {
    const r = await onBoth(() => {
      const g = tf.grad((v: tf.Tensor) => tf.sum(tf.mul(tf.tile(v, [4, 1]), tf.range(0, 12).reshape([4, 3]))));
      return g(tf.tensor2d([[1, 2, 3]]));
    });
    expect(Array.from(r.wasm)).toEqual([18, 22, 26]);
    expect(Array.from(r.cpu)).toEqual([18, 22, 26]);
  });
});
