import { backend_util } from '@tensorflow/tfjs-core';
import type { Conv2DBackpropInputAttrs, KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import { withScratch } from './kernel-utils.js';
import type { WasmBackend } from './kernel-utils.js';
import { inputGradViaForwardConv } from './transposed-conv.js';

/**
 * Replaces wasm's scalar Conv2DBackpropInput with a forward XNNPACK conv. NCHW is left to the
 * original: wasm's Conv2D only runs NHWC and tfjs-layers never emits NCHW convs.
 */
export function fastConv2DBackpropInput(original: KernelConfig): KernelFunc {
  const kernelFunc = (args: {
    inputs: { dy?: TensorInfo; filter?: TensorInfo };
    backend: WasmBackend;
    attrs: Conv2DBackpropInputAttrs;
  }): TensorInfo => {
    const { inputs, backend, attrs } = args;
    const { dy, filter } = inputs;
    if (!dy || !filter) throw new Error('Conv2DBackpropInput needs dy and filter');
    if (attrs.dataFormat === 'NCHW') return original.kernelFunc(args as never) as TensorInfo;
    const info = backend_util.computeConv2DInfo(
      attrs.inputShape,
      filter.shape as [number, number, number, number],
      attrs.strides,
      1,
      attrs.pad,
      attrs.dimRoundingMode,
      false,
      'channelsLast',
    );
    return withScratch(backend, (s) => inputGradViaForwardConv(s, dy, filter, info, false));
  };
  return kernelFunc as unknown as KernelFunc;
}
