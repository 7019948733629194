import {
  backend_util,
  DepthwiseConv2dNativeBackpropFilter,
  DepthwiseConv2dNativeBackpropInput,
} from '@tensorflow/tfjs-core';
import type {
  DepthwiseConv2dNativeBackpropFilterAttrs,
  DepthwiseConv2dNativeBackpropInputAttrs,
  KernelConfig,
  KernelFunc,
  TensorInfo,
} from '@tensorflow/tfjs-core';
import { f32, WASM, withScratch } from './kernel-utils.js';
import type { WasmBackend } from './kernel-utils.js';
import { inputGradViaForwardConv } from './transposed-conv.js';

type Shape4 = [number, number, number, number];

function depthwiseBackpropInput(args: {
  inputs: { dy?: TensorInfo; filter?: TensorInfo };
  backend: WasmBackend;
  attrs: DepthwiseConv2dNativeBackpropInputAttrs;
}): TensorInfo {
  const { inputs, backend, attrs } = args;
  const { dy, filter } = inputs;
  if (!dy || !filter) throw new Error('DepthwiseConv2dNativeBackpropInput needs dy and filter');
  const info = backend_util.computeConv2DInfo(
    attrs.inputShape,
    filter.shape as Shape4,
    attrs.strides,
    attrs.dilations,
    attrs.pad,
    attrs.dimRoundingMode,
    true,
  );
  return withScratch(backend, (s) => inputGradViaForwardConv(s, dy, filter, info, true));
}

/**
 * A depthwise filter gradient has no reduction over channels, so it maps to no fast XNNPACK
 * primitive (a batched matmul per channel hits wasm's scalar batched path). A direct loop with
 * float64 accumulators does the minimum multiply-adds and allocates no patch matrix.
 */
function depthwiseBackpropFilter(args: {
  inputs: { x?: TensorInfo; dy?: TensorInfo };
  backend: WasmBackend;
  attrs: DepthwiseConv2dNativeBackpropFilterAttrs;
}): TensorInfo {
  const { inputs, backend, attrs } = args;
  const { x, dy } = inputs;
  if (!x || !dy) throw new Error('DepthwiseConv2dNativeBackpropFilter needs x and dy');
  const info = backend_util.computeConv2DInfo(
    x.shape as Shape4,
    attrs.filterShape,
    attrs.strides,
    attrs.dilations,
    attrs.pad,
    attrs.dimRoundingMode,
    true,
  );
  const { batchSize, inHeight: h, inWidth: w, inChannels: c, outHeight: oh, outWidth: ow } = info;
  const { filterHeight: kh, filterWidth: kw, strideHeight: sh, strideWidth: sw } = info;
  const { dilationHeight: dh, dilationWidth: dw } = info;
  const m = info.outChannels / c;
  const cm = c * m;
  const acc = new Float64Array(kh * kw * cm);
  const xs = f32(backend, x);
  const dys = f32(backend, dy);
  for (let b = 0; b < batchSize; b++) {
    for (let y = 0; y < oh; y++) {
      for (let z = 0; z < ow; z++) {
        const dyBase = ((b * oh + y) * ow + z) * cm;
        for (let fy = 0; fy < kh; fy++) {
          const iy = y * sh + fy * dh - info.padInfo.top;
          if (iy < 0 || iy >= h) continue;
          for (let fx = 0; fx < kw; fx++) {
            const ix = z * sw + fx * dw - info.padInfo.left;
            if (ix < 0 || ix >= w) continue;
            const xBase = ((b * h + iy) * w + ix) * c;
            const aBase = (fy * kw + fx) * cm;
            if (m === 1) {
              for (let ch = 0; ch < c; ch++) acc[aBase + ch]! += xs[xBase + ch]! * dys[dyBase + ch]!;
              continue;
            }
            for (let ch = 0; ch < c; ch++) {
              const xv = xs[xBase + ch]!;
              for (let k = 0; k < m; k++) acc[aBase + ch * m + k]! += xv * dys[dyBase + ch * m + k]!;
            }
          }
        }
      }
    }
  }
  const out = backend.makeOutput([...attrs.filterShape], 'float32');
  f32(backend, out).set(acc);
  return out;
}

export const depthwiseBackpropInputConfig: KernelConfig = {
  kernelName: DepthwiseConv2dNativeBackpropInput,
  backendName: WASM,
  kernelFunc: depthwiseBackpropInput as unknown as KernelFunc,
};

export const depthwiseBackpropFilterConfig: KernelConfig = {
  kernelName: DepthwiseConv2dNativeBackpropFilter,
  backendName: WASM,
  kernelFunc: depthwiseBackpropFilter as unknown as KernelFunc,
};
