import { util } from '@tensorflow/tfjs-core';
import type { KernelConfig, KernelFunc, MeanAttrs, SumAttrs, TensorInfo } from '@tensorflow/tfjs-core';
import { f32, withScratch } from './kernel-utils.js';
import type { WasmBackend } from './kernel-utils.js';

/**
 * wasm's Sum and Mean move the reduced axes last with a generic transpose before reducing. For
 * the leading axes (every bias gradient: NHWC dy summed over N, H, W; batch-norm moments) that
 * transpose dominates: 1.9 ms for 64x26x26x16. The same reduction is a row vector times the
 * [N, C] matrix, which XNNPACK does in 0.15 ms.
 */
export function fastLeadingAxisReduce(original: KernelConfig, mean: boolean): KernelFunc {
  const kernelFunc = (args: { inputs: { x?: TensorInfo }; backend: WasmBackend; attrs: SumAttrs | MeanAttrs }) => {
    const { inputs, backend, attrs } = args;
    const { x } = inputs;
    if (!x) throw new Error('reduction needs x');
    const axes = util.parseAxisParam(attrs.axis, x.shape).sort((a, b) => a - b);
    const k = axes.length;
    const leading = k > 0 && k < x.shape.length && axes.every((a, i) => a === i);
    if (x.dtype !== 'float32' || !leading) return original.kernelFunc(args as never) as TensorInfo;
    const rows = util.sizeFromShape(x.shape.slice(0, k));
    const kept = x.shape.slice(k);
    const outShape = attrs.keepDims ? [...x.shape.slice(0, k).map(() => 1), ...kept] : kept;
    if (rows === 0) return original.kernelFunc(args as never) as TensorInfo;
    return withScratch(backend, (s) => {
      const weights = s.alloc([1, rows]);
      f32(backend, weights).fill(mean ? 1 / rows : 1);
      const matrix = s.reshape(x, [rows, util.sizeFromShape(kept)]);
      const reduced = s.run('BatchMatMul', { a: weights, b: matrix }, { transposeA: false, transposeB: false });
      return s.reshape(reduced, outShape);
    });
  };
  return kernelFunc as unknown as KernelFunc;
}
