import { describe, it, expect, beforeAll } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { CONV_CASES, convInfo, describeCase, kernel, onBoth, relErr, seeded, useWasm } from './test-helpers.js';

beforeAll(useWasm);

describe('wasm Conv2DBackpropInput (forward-conv formulation)', () => {
  for (const [i, c] of CONV_CASES.entries()) {
    it(`matches cpu: ${describeCase(c)}`, async () => {
      const dyShape = convInfo(c).outShape;
      const w = seeded(c.filter, 30 + i);
      const dy = seeded(dyShape, 40 + i);
      const r = await onBoth(() =>
        kernel(
          'Conv2DBackpropInput',
          { dy: tf.tensor(dy, dyShape), filter: tf.tensor(w, c.filter) },
          { strides: c.strides, pad: c.pad, dataFormat: c.dataFormat ?? 'NHWC', inputShape: c.x },
        ),
      );
      expect(r.shape.wasm).toEqual(c.x);
      expect(relErr(r.wasm, r.cpu)).toBeLessThanOrEqual(1e-5);
      expect(r.leaked).toEqual({ buffers: 0, tensors: 0 });
    });
  }

  it('runs tf.conv2dTranspose', async () => {
    const x = seeded([2, 4, 4, 3], 5);
    const w = seeded([3, 3, 6, 3], 6);
    const r = await onBoth(() =>
      tf.conv2dTranspose(tf.tensor4d(x, [2, 4, 4, 3]), tf.tensor4d(w, [3, 3, 6, 3]), [2, 8, 8, 6], 2, 'same'),
    );
    expect(relErr(r.wasm, r.cpu)).toBeLessThanOrEqual(1e-5);
  });
});
