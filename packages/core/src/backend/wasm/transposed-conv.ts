import type { backend_util, TensorInfo } from '@tensorflow/tfjs-core';
import { f32 } from './kernel-utils.js';
import type { Scratch } from './kernel-utils.js';

/**
 * The input gradient of a convolution is itself a stride-1 convolution of dy, spread out by the
 * forward strides, with the filter rotated 180°. Running it as a forward conv lets XNNPACK do
 * the work: wasm's own Conv2DBackpropInput is a scalar loop, ~8x slower on MNIST-sized layers.
 */
export function inputGradViaForwardConv(
  s: Scratch,
  dy: TensorInfo,
  filter: TensorInfo,
  info: backend_util.Conv2DInfo,
  depthwise: boolean,
): TensorInfo {
  const rotated = rotateFilter(s, filter, depthwise);
  const { input, pads } = spreadDy(s, dy, info);
  const dilations = [info.dilationHeight, info.dilationWidth];
  const pad = pads ? [[0, 0], [pads[0], pads[1]], [pads[2], pads[3]], [0, 0]] : 'valid';
  if (!depthwise) {
    return s.run('Conv2D', { x: input, filter: rotated }, { strides: 1, pad, dilations, dataFormat: 'NHWC' });
  }
  const dx = s.run('DepthwiseConv2dNative', { x: input, filter: rotated }, { strides: 1, pad, dilations });
  const multiplier = info.outChannels / info.inChannels;
  if (multiplier === 1) return dx;
  const [b, h, w] = dx.shape as [number, number, number, number];
  const split = s.reshape(dx, [b, h, w, info.inChannels, multiplier]);
  return s.run('Sum', { x: split }, { axis: [4], keepDims: false });
}

/**
 * conv2d: [kh, kw, ci, co] -> [KH-1-kh, KW-1-kw, co, ci].
 * depthwise: [kh, kw, c, m] -> [KH-1-kh, KW-1-kw, c*M+m, 1], so every (c, m) output channel of
 * the forward pass becomes its own input channel and the M copies are summed afterwards.
 */
function rotateFilter(s: Scratch, filter: TensorInfo, depthwise: boolean): TensorInfo {
  const [kh, kw, ci, co] = filter.shape as [number, number, number, number];
  const out = s.alloc(depthwise ? [kh, kw, ci * co, 1] : [kh, kw, co, ci]);
  const src = f32(s.backend, filter);
  const dst = f32(s.backend, out);
  const tap = ci * co;
  for (let h = 0; h < kh; h++) {
    for (let w = 0; w < kw; w++) {
      const from = ((kh - 1 - h) * kw + (kw - 1 - w)) * tap;
      const to = (h * kw + w) * tap;
      if (depthwise) {
        dst.set(src.subarray(from, from + tap), to);
        continue;
      }
      for (let i = 0; i < ci; i++) for (let o = 0; o < co; o++) dst[to + o * ci + i] = src[from + i * co + o]!;
    }
  }
  return out;
}

/**
 * Returns dy with the pads the stride-1 conv needs. When the forward stride is 1 and no pad is
 * negative the conv pads by itself; otherwise dy is copied once into a zero buffer with
 * stride-1 gaps between its pixels and the borders cropped or grown.
 */
function spreadDy(
  s: Scratch,
  dy: TensorInfo,
  info: backend_util.Conv2DInfo,
): { input: TensorInfo; pads?: [number, number, number, number] } {
  const { strideHeight: sh, strideWidth: sw, outHeight: oh, outWidth: ow } = info;
  const spreadH = (oh - 1) * sh + 1;
  const spreadW = (ow - 1) * sw + 1;
  const top = info.effectiveFilterHeight - 1 - info.padInfo.top;
  const left = info.effectiveFilterWidth - 1 - info.padInfo.left;
  const bottom = info.inHeight + info.padInfo.top - spreadH;
  const right = info.inWidth + info.padInfo.left - spreadW;
  if (sh === 1 && sw === 1 && Math.min(top, left, bottom, right) >= 0) {
    return { input: dy, pads: [top, bottom, left, right] };
  }
  const c = info.outChannels;
  const hp = top + spreadH + bottom;
  const wp = left + spreadW + right;
  const out = s.alloc([info.batchSize, hp, wp, c]);
  const src = f32(s.backend, dy);
  const dst = f32(s.backend, out);
  dst.fill(0);
  for (let b = 0; b < info.batchSize; b++) {
    for (let y = 0; y < oh; y++) {
      const row = top + y * sh;
      if (row < 0 || row >= hp) continue;
      for (let x = 0; x < ow; x++) {
        const col = left + x * sw;
        if (col < 0 || col >= wp) continue;
        const from = ((b * oh + y) * ow + x) * c;
        dst.set(src.subarray(from, from + c), ((b * hp + row) * wp + col) * c);
      }
    }
  }
  return { input: out };
}
