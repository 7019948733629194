import { backend_util, Conv2DBackpropFilter } from '@tensorflow/tfjs-core';
import type { Conv2DBackpropFilterAttrs, KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import { f32, WASM, withScratch } from './kernel-utils.js';
import type { WasmBackend } from './kernel-utils.js';
import { geometryOf, im2colTransposed, stripIsCheaper, stripPatches } from './patches.js';

/**
 * dW = patches(x)ᵀ · dy as one plain XNNPACK matmul, dy being the right operand: XNNPACK repacks
 * the right operand on each call, and dy (N x outC) is smaller than the patches (N x kh·kw·inC)
 * for all but the first layer. Measured against a conv2d over the transposed input with dy as
 * the filter, the matmul form was faster for small input channel counts and never much slower.
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
  return withScratch(backend, (s) => {
    // With one channel, NHWC and NCHW already have the [C, B, H, W] memory order.
    const xc = g.channels === 1 ? x : s.transpose(x, channelsFirst ? [1, 0, 2, 3] : [3, 0, 1, 2]);
    const dyLast = channelsFirst ? s.transpose(dy, [0, 2, 3, 1]) : dy;
    let patches: TensorInfo;
    let dyRows: TensorInfo;
    if (stripIsCheaper(info)) {
      [patches, dyRows] = stripPatches(s, xc, dyLast, info);
    } else {
      const n = g.batch * g.outH * g.outW;
      dyRows = s.reshape(dyLast, [n, info.outChannels]);
      patches = s.alloc([g.filterH * g.filterW * g.channels, n]);
      im2colTransposed(f32(backend, xc), f32(backend, patches), g);
    }
    const dw = s.run('BatchMatMul', { a: patches, b: dyRows }, { transposeA: false, transposeB: false });
    return s.reshape(dw, [...filterShape]);
  });
}

export const conv2DBackpropFilterConfig: KernelConfig = {
  kernelName: Conv2DBackpropFilter,
  backendName: WASM,
  kernelFunc: conv2DBackpropFilter as unknown as KernelFunc,
};
