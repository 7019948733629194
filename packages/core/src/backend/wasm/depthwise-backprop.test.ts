import { describe, it, expect, beforeAll } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import type { ConvCase } from './test-helpers.js';
import { convInfo, describeCase, kernel, onBoth, relErr, seeded, useWasm } from './test-helpers.js';

beforeAll(useWasm);

interface DwCase extends ConvCase {
  dilations: number | [number, number];
}

/** filter is [kh, kw, channels, multiplier]. */
const CASES: DwCase[] = [
  { x: [2, 7, 7, 3], filter: [3, 3, 3, 1], strides: 1, pad: 'same', dilations: 1 },
  { x: [2, 8, 8, 3], filter: [3, 3, 3, 2], strides: 2, pad: 'same', dilations: 1 },
  { x: [1, 9, 8, 2], filter: [2, 3, 2, 3], strides: [2, 1], pad: 'valid', dilations: 1 },
  { x: [3, 6, 6, 4], filter: [3, 3, 4, 1], strides: 1, pad: 1, dilations: 1 },
  { x: [2, 9, 8, 2], filter: [2, 3, 2, 3], strides: 2, pad: [[0, 0], [2, 0], [1, 3], [0, 0]], dilations: 1 },
  { x: [1, 9, 9, 2], filter: [3, 3, 2, 2], strides: 1, pad: 'valid', dilations: 2 },
  { x: [2, 9, 9, 3], filter: [3, 2, 3, 1], strides: 1, pad: 'same', dilations: [2, 3] },
  { x: [1, 5, 5, 2], filter: [2, 2, 2, 1], strides: 1, pad: [[0, 0], [3, 0], [0, 2], [0, 0]], dilations: 1 },
];

const pair = (d: number | [number, number]): [number, number] => (typeof d === 'number' ? [d, d] : d);

/**
 * tfjs-backend-cpu's depthwise gradient kernels ignore dilations in their index arithmetic, so
 * the cpu reference for a dilated case uses the equivalent undilated filter with zeros between
 * the taps, and the filter gradient is read back at the taps.
 */
function dilatedFilterShape(c: DwCase): [number, number, number, number] {
  const [dh, dw] = pair(c.dilations);
  const [kh, kw, ch, m] = c.filter;
  return [(kh - 1) * dh + 1, (kw - 1) * dw + 1, ch, m];
}

function spreadFilter(w: Float32Array, c: DwCase): Float32Array {
  const [dh, dw] = pair(c.dilations);
  const [kh, kw, ch, m] = c.filter;
  const [, ekw] = dilatedFilterShape(c);
  const out = new Float32Array(dilatedFilterShape(c).reduce((a, b) => a * b, 1));
  for (let h = 0; h < kh; h++)
    for (let x = 0; x < kw; x++)
      for (let i = 0; i < ch * m; i++) out[((h * dh) * ekw + x * dw) * ch * m + i] = w[(h * kw + x) * ch * m + i]!;
  return out;
}

function gatherTaps(g: Float32Array | Int32Array, c: DwCase): Float32Array {
  const [dh, dw] = pair(c.dilations);
  const [kh, kw, ch, m] = c.filter;
  const [, ekw] = dilatedFilterShape(c);
  const out = new Float32Array(kh * kw * ch * m);
  for (let h = 0; h < kh; h++)
    for (let x = 0; x < kw; x++)
      for (let i = 0; i < ch * m; i++) out[(h * kw + x) * ch * m + i] = g[((h * dh) * ekw + x * dw) * ch * m + i]!;
  return out;
}

describe('wasm DepthwiseConv2dNative gradients', () => {
  for (const [i, c] of CASES.entries()) {
    const name = `${describeCase(c)} dilations ${String(c.dilations)}`;
    const dyShape = convInfo(c, true, c.dilations).outShape;
    const dilated = pair(c.dilations).some((d) => d > 1);

    it(`BackpropFilter matches cpu: ${name}`, async () => {
      const x = seeded(c.x, 50 + i);
      const dy = seeded(dyShape, 60 + i);
      const attrs = { strides: c.strides, pad: c.pad, dimRoundingMode: undefined };
      const r = await onBoth(() =>
        tf.getBackend() === 'wasm' || !dilated
          ? kernel(
              'DepthwiseConv2dNativeBackpropFilter',
              { x: tf.tensor(x, c.x), dy: tf.tensor(dy, dyShape) },
              { ...attrs, dilations: c.dilations, filterShape: c.filter },
            )
          : kernel(
              'DepthwiseConv2dNativeBackpropFilter',
              { x: tf.tensor(x, c.x), dy: tf.tensor(dy, dyShape) },
              { ...attrs, dilations: 1, filterShape: dilatedFilterShape(c) },
            ),
      );
      const cpu = dilated ? gatherTaps(r.cpu, c) : r.cpu;
      expect(r.shape.wasm).toEqual(c.filter);
      expect(relErr(r.wasm, cpu)).toBeLessThanOrEqual(1e-5);
      expect(r.leaked).toEqual({ buffers: 0, tensors: 0 });
    });

    it(`BackpropInput matches cpu: ${name}`, async () => {
      const w = seeded(c.filter, 70 + i);
      const dy = seeded(dyShape, 80 + i);
      const attrs = { strides: c.strides, pad: c.pad, inputShape: c.x };
      const r = await onBoth(() =>
        tf.getBackend() === 'wasm' || !dilated
          ? kernel(
              'DepthwiseConv2dNativeBackpropInput',
              { dy: tf.tensor(dy, dyShape), filter: tf.tensor(w, c.filter) },
              { ...attrs, dilations: c.dilations },
            )
          : kernel(
              'DepthwiseConv2dNativeBackpropInput',
              { dy: tf.tensor(dy, dyShape), filter: tf.tensor(spreadFilter(w, c), dilatedFilterShape(c)) },
              { ...attrs, dilations: 1 },
            ),
      );
      expect(r.shape.wasm).toEqual(c.x);
      expect(relErr(r.wasm, r.cpu)).toBeLessThanOrEqual(1e-5);
      expect(r.leaked).toEqual({ buffers: 0, tensors: 0 });
    });
  }

  it('drives tf.grad of depthwiseConv2d for input and filter', async () => {
    const x = seeded([2, 6, 6, 3], 7);
    const w = seeded([3, 3, 3, 2], 8);
    const loss = (xx: tf.Tensor4D, ww: tf.Tensor4D) => tf.sum(tf.square(tf.depthwiseConv2d(xx, ww, 1, 'same')));
    for (const which of [0, 1]) {
      const r = await onBoth(() => {
        const [gx, gw] = tf.grads(loss as (...a: tf.Tensor[]) => tf.Tensor)([tf.tensor4d(x, [2, 6, 6, 3]), tf.tensor4d(w, [3, 3, 3, 2])]);
        return which === 0 ? gx! : gw!;
      });
      expect(relErr(r.wasm, r.cpu)).toBeLessThanOrEqual(1e-5);
    }
  });
});
