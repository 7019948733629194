import { describe, it, expect, beforeAll } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { kernel, onBoth, relErr, seeded, useWasm } from './test-helpers.js';

beforeAll(useWasm);

describe('wasm UnsortedSegmentSum', () => {
  const cases: { x: number[]; ids: number[]; numSegments: number; dtype: 'float32' | 'int32' }[] = [
    { x: [6], ids: [0, 2, 0, 1, 2, 2], numSegments: 3, dtype: 'float32' },
    { x: [5, 4], ids: [3, 0, 3, 1, 0], numSegments: 5, dtype: 'float32' },
    { x: [4, 3, 2], ids: [1, 1, 1, 1], numSegments: 2, dtype: 'float32' },
    // Ids outside [0, numSegments) are dropped.
    { x: [5, 3], ids: [-1, 0, 4, 7, 1], numSegments: 5, dtype: 'float32' },
    { x: [5, 3], ids: [2, 0, 2, 1, 0], numSegments: 4, dtype: 'int32' },
  ];
  for (const [i, c] of cases.entries()) {
    it(`matches cpu: x ${c.x.join('x')} ${c.dtype} ids [${c.ids.join(',')}] into ${c.numSegments}`, async () => {
      const values = seeded(c.x, 90 + i);
      const x = c.dtype === 'int32' ? Int32Array.from(values, (v) => Math.round(v * 100)) : values;
      const r = await onBoth(() =>
        kernel(
          'UnsortedSegmentSum',
          { x: tf.tensor(x, c.x, c.dtype), segmentIds: tf.tensor1d(c.ids, 'int32') },
          { numSegments: c.numSegments },
        ),
      );
      expect(r.shape.wasm).toEqual([c.numSegments, ...c.x.slice(1)]);
      expect(r.shape.wasm).toEqual(r.shape.cpu);
      if (c.dtype === 'int32') expect(Array.from(r.wasm)).toEqual(Array.from(r.cpu));
      else expect(relErr(r.wasm, r.cpu)).toBeLessThanOrEqual(1e-5);
      expect(r.leaked).toEqual({ buffers: 0, tensors: 0 });
    });
  }

  it('drives the gradient of tf.gather (embeddings)', async () => {
    const table = seeded([7, 3], 3);
    const r = await onBoth(() =>
      tf.grad((t) => tf.sum(tf.square(tf.gather(t, tf.tensor1d([4, 0, 4, 6, 2, 4], 'int32')))))(tf.tensor2d(table, [7, 3])),
    );
    expect(relErr(r.wasm, r.cpu)).toBeLessThanOrEqual(1e-5);
  });
});
