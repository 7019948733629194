import { describe, it, expect, beforeAll } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { kernel, onBoth, relErr, seeded, useWasm } from './test-helpers.js';

beforeAll(useWasm);

type Pad = 'same' | 'valid' | number;
const CASES: { x: [number, number, number, number]; size: number | [number, number]; strides: number | [number, number]; pad: Pad }[] = [
  { x: [2, 8, 8, 3], size: 2, strides: 2, pad: 'valid' },
  { x: [2, 7, 7, 3], size: 2, strides: 2, pad: 'same' },
  // An odd size at 2x2 / stride 2: the last row and column belong to no window.
  { x: [2, 11, 11, 4], size: 2, strides: 2, pad: 'valid' },
  { x: [1, 9, 9, 4], size: 3, strides: 2, pad: 'same' },
  { x: [3, 6, 7, 2], size: 3, strides: 1, pad: 'valid' },
  { x: [1, 7, 6, 5], size: [2, 3], strides: [1, 2], pad: 'same' },
  // Numeric pads only with square windows and strides: otherwise tfjs sizes the output
  // differently from what wasm's forward MaxPool (XNNPACK) computes.
  { x: [2, 6, 7, 3], size: 3, strides: 1, pad: 1 },
];

describe('wasm MaxPoolGrad and AvgPoolGrad', () => {
  for (const [i, c] of CASES.entries()) {
    const name = `x ${c.x.join('x')} size ${String(c.size)} strides ${String(c.strides)} pad ${String(c.pad)}`;
    const yShape = tf.backend_util.computePool2DInfo(c.x, c.size, c.strides, 1, c.pad).outShape;
    const attrs = { filterSize: c.size, strides: c.strides, pad: c.pad };

    it(`MaxPoolGrad matches cpu, ties included: ${name}`, async () => {
      // ReLU-like data on a coarse grid: many windows hold several equal maxima (mostly 0).
      const x = seeded(c.x, 100 + i, 2).map((v) => Math.max(v, 0));
      const dy = seeded(yShape, 110 + i);
      const r = await onBoth(() => {
        const input = tf.tensor4d(x, c.x);
        const output = tf.maxPool(input, c.size, c.strides, c.pad);
        return kernel('MaxPoolGrad', { dy: tf.tensor(dy, yShape), input, output }, attrs);
      });
      expect(relErr(r.wasm, r.cpu)).toBeLessThanOrEqual(1e-5);
      expect(r.leaked).toEqual({ buffers: 0, tensors: 0 });
    });

    it(`AvgPoolGrad matches cpu: ${name}`, async () => {
      const dy = seeded(yShape, 120 + i);
      const r = await onBoth(() => kernel('AvgPoolGrad', { dy: tf.tensor(dy, yShape), input: tf.zeros(c.x) }, attrs));
      expect(relErr(r.wasm, r.cpu)).toBeLessThanOrEqual(1e-5);
      expect(r.leaked).toEqual({ buffers: 0, tensors: 0 });
    });
  }

  it('passes no gradient out of an all -Infinity window', async () => {
    const x = new Float32Array(16).fill(-Infinity);
    x[0] = 1;
    const r = await onBoth(() =>
      tf.grad((t) => tf.sum(tf.maxPool(t as tf.Tensor4D, 2, 2, 'valid')))(tf.tensor4d(x, [1, 4, 4, 1])),
    );
    expect(Array.from(r.wasm)).toEqual(Array.from(r.cpu));
  });
});
