import { describe, it, expect, beforeAll } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { onBoth, relErr, seeded, useWasm } from './test-helpers.js';

beforeAll(useWasm);

describe('wasm Sum and Mean over leading axes', () => {
  const cases: { shape: number[]; axis: number | number[]; keepDims: boolean }[] = [
    { shape: [4, 5, 6, 3], axis: [0, 1, 2], keepDims: false },
    { shape: [4, 5, 6, 3], axis: [2, 0, 1], keepDims: true },
    { shape: [7, 9], axis: 0, keepDims: false },
    { shape: [3, 4, 5], axis: [0, -2], keepDims: true },
    // Many rows (a batch-norm moment), and a row count that four does not divide.
    { shape: [16, 16, 16, 5], axis: [0, 1, 2], keepDims: true },
    { shape: [5, 9, 7, 3], axis: [0, 1, 2], keepDims: false },
    // Not leading: left to wasm's own kernel.
    { shape: [3, 4, 5], axis: [1], keepDims: false },
    { shape: [3, 4, 5], axis: [0, 2], keepDims: false },
    { shape: [3, 4, 5], axis: [0, 1, 2], keepDims: false },
  ];
  for (const [i, c] of cases.entries()) {
    for (const op of ['sum', 'mean'] as const) {
      it(`${op} of ${c.shape.join('x')} over ${String(c.axis)} keepDims ${c.keepDims} matches cpu`, async () => {
        const x = seeded(c.shape, 130 + i);
        const r = await onBoth(() => tf[op](tf.tensor(x, c.shape), c.axis, c.keepDims));
        expect(r.shape.wasm).toEqual(r.shape.cpu);
        expect(relErr(r.wasm, r.cpu)).toBeLessThanOrEqual(1e-5);
        expect(r.leaked).toEqual({ buffers: 0, tensors: 0 });
      });
    }
  }

  it('leaves int32 sums to the original kernel', async () => {
    const r = await onBoth(() => tf.sum(tf.tensor2d([1, 2, 3, 4, 5, 6], [3, 2], 'int32'), 0));
    expect(Array.from(r.wasm)).toEqual([9, 12]);
    expect(Array.from(r.cpu)).toEqual([9, 12]);
  });
});
