import { backend_util, Conv2DBackpropFilter } from '@tensorflow/tfjs-core';
import type { Conv2DBackpropFilterAttrs, KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import { f32, WASM, withScratch } from './kernel-utils.js';
import type { WasmBackend } from './kernel-utils.js';

/** Geometry of the im2col gather; names follow backend_util.Conv2DInfo. */
export interface PatchGeometry {
  batch: number;
  inH: number;
  inW: number;
  channels: number;
  outH: number;
  outW: number;
  filterH: number;
  filterW: number;
  strideH: number;
  strideW: number;
  dilationH: number;
  dilationW: number;
  padTop: number;
  padLeft: number;
}

const clamp = (v: number, lo: number, hi: number) => Math.min(Math.max(v, lo), hi);

/** Output rows [lo, hi) whose input row `o * stride + offset` lies inside [0, size). */
function validRange(offset: number, stride: number, size: number, out: number): [number, number] {
  const lo = clamp(Math.ceil(-offset / stride), 0, out);
  return [lo, clamp(Math.ceil((size - offset) / stride), lo, out)];
}

/**
 * Writes the transposed patch matrix: row (kh, kw, c), column (b, oh, ow). With `src` laid out
 * [C, B, H, W] the innermost loop reads along W, and the product with dy [B*OH*OW, CO] needs no
 * transposed operand (wasm's transposed matmul is the slow, non-XNNPACK path).
 */
export function im2colTransposed(src: Float32Array, dst: Float32Array, g: PatchGeometry): void {
  const n = g.batch * g.outH * g.outW;
  const planeSize = g.inH * g.inW;
  let o = 0;
  for (let kh = 0; kh < g.filterH; kh++) {
    const rowOff = kh * g.dilationH - g.padTop;
    const [ohLo, ohHi] = validRange(rowOff, g.strideH, g.inH, g.outH);
    for (let kw = 0; kw < g.filterW; kw++) {
      const colOff = kw * g.dilationW - g.padLeft;
      const [owLo, owHi] = validRange(colOff, g.strideW, g.inW, g.outW);
      for (let c = 0; c < g.channels; c++) {
        for (let b = 0; b < g.batch; b++) {
          const plane = (c * g.batch + b) * planeSize;
          for (let oh = 0; oh < g.outH; oh++) {
            if (oh < ohLo || oh >= ohHi) {
              for (let ow = 0; ow < g.outW; ow++) dst[o++] = 0;
              continue;
            }
            for (let ow = 0; ow < owLo; ow++) dst[o++] = 0;
            let p = plane + (oh * g.strideH + rowOff) * g.inW + owLo * g.strideW + colOff;
            for (let ow = owLo; ow < owHi; ow++, p += g.strideW) dst[o++] = src[p]!;
            for (let ow = owHi; ow < g.outW; ow++) dst[o++] = 0;
          }
        }
      }
    }
  }
  if (o !== dst.length || dst.length !== n * g.filterH * g.filterW * g.channels) {
    throw new Error('im2col wrote an unexpected number of elements');
  }
}

export function geometryOf(info: backend_util.Conv2DInfo): PatchGeometry {
  return {
    batch: info.batchSize,
    inH: info.inHeight,
    inW: info.inWidth,
    channels: info.inChannels,
    outH: info.outHeight,
    outW: info.outWidth,
    filterH: info.filterHeight,
    filterW: info.filterWidth,
    strideH: info.strideHeight,
    strideW: info.strideWidth,
    dilationH: info.dilationHeight,
    dilationW: info.dilationWidth,
    padTop: info.padInfo.top,
    padLeft: info.padInfo.left,
  };
}

/**
 * dW = patches(x)ᵀ · dy as one plain XNNPACK matmul. Measured against a conv2d over the
 * transposed input with dy as the filter: the matmul form was faster for small input
 * channels and never much slower, and it needs no large transposes of dy.
 */
function conv2DBackpropFilter(args: {
  inputs: { x?: TensorInfo; dy?: TensorInfo };
  backend: WasmBackend;
  attrs: Conv2DBackpropFilterAttrs;
}): TensorInfo {
  const { inputs, backend, attrs } = args;
  const { x, dy } = inputs;
  if (!x || !dy) throw new Error('Conv2DBackpropFilter needs x and dy');
  const { strides, pad, dataFormat, dimRoundingMode, filterShape } = attrs;
  const info = backend_util.computeConv2DInfo(
    x.shape as [number, number, number, number],
    filterShape,
    strides,
    1,
    pad,
    dimRoundingMode,
    false,
    backend_util.convertConv2DDataFormat(dataFormat),
  );
  const channelsFirst = info.dataFormat === 'channelsFirst';
  const g = geometryOf(info);
  const n = g.batch * g.outH * g.outW;
  return withScratch(backend, (s) => {
    // With one channel, NHWC and NCHW already have the [C, B, H, W] memory order.
    const xc = g.channels === 1 ? x : s.transpose(x, channelsFirst ? [1, 0, 2, 3] : [3, 0, 1, 2]);
    const dyRows = s.reshape(channelsFirst ? s.transpose(dy, [0, 2, 3, 1]) : dy, [n, info.outChannels]);
    const patches = s.alloc([g.filterH * g.filterW * g.channels, n]);
    im2colTransposed(f32(backend, xc), f32(backend, patches), g);
    const dw = s.run('BatchMatMul', { a: patches, b: dyRows }, { transposeA: false, transposeB: false });
    return s.reshape(dw, [...filterShape]);
  });
}

export const conv2DBackpropFilterConfig: KernelConfig = {
  kernelName: Conv2DBackpropFilter,
  backendName: WASM,
  kernelFunc: conv2DBackpropFilter as unknown as KernelFunc,
};
