import { describe, it, expect, beforeAll } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { CONV_CASES, convInfo, describeCase, kernel, onBoth, relErr, seeded, useWasm } from './test-helpers.js';
import { stripIsCheaper } from './patches.js';

beforeAll(useWasm);

describe('wasm Conv2DBackpropFilter', () => {
  it('covers both patch builders', () => {
    const strip = CONV_CASES.map((c) => stripIsCheaper(convInfo(c)));
    expect(strip).toContain(true);
    expect(strip).toContain(false);
  });

  for (const [i, c] of CONV_CASES.entries()) {
    it(`matches cpu: ${describeCase(c)}`, async () => {
      const dyShape = convInfo(c).outShape;
      const x = seeded(c.x, 10 + i);
      const dy = seeded(dyShape, 20 + i);
      const r = await onBoth(() =>
        kernel(
          'Conv2DBackpropFilter',
          { x: tf.tensor(x, c.x), dy: tf.tensor(dy, dyShape) },
          { strides: c.strides, pad: c.pad, dataFormat: c.dataFormat ?? 'NHWC', filterShape: c.filter },
        ),
      );
      expect(r.shape.wasm).toEqual(c.filter);
      expect(relErr(r.wasm, r.cpu)).toBeLessThanOrEqual(1e-5);
      expect(r.leaked).toEqual({ buffers: 0, tensors: 0 });
    });
  }

  it('drives tf.grad of conv2d with respect to the filter', async () => {
    const c = CONV_CASES[1]!;
    const x = seeded(c.x, 1);
    const w = seeded(c.filter, 2);
    const r = await onBoth(() =>
      tf.grad((f) => tf.sum(tf.square(tf.conv2d(tf.tensor4d(x, c.x), f as tf.Tensor4D, 2, 'same'))))(
        tf.tensor4d(w, c.filter),
      ),
    );
    expect(relErr(r.wasm, r.cpu)).toBeLessThanOrEqual(1e-5);
  });
});
