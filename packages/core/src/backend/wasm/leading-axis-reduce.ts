import { util } from '@tensorflow/tfjs-core';
import type { KernelConfig, KernelFunc, MeanAttrs, SumAttrs, TensorInfo } from '@tensorflow/tfjs-core';
import { f32, withScratch } from './kernel-utils.js';
import type { WasmBackend } from './kernel-utils.js';

/**
 * wasm's Sum and Mean move the reduced axes last with a generic transpose before reducing. For
 * the leading axes (every bias gradient: NHWC dy summed over N, H, W; batch-norm moments) that
 * transpose dominates: 1.9 ms for 64x26x26x16. The same reduction as a 2-D transpose and a
 * matrix-vector product takes ~0.6 ms.
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
      // xᵀ · w rather than wᵀ · x: XNNPACK repacks its right operand on every call, and the
      // weight column is far smaller than x. The 2-D transpose is cheap next to that packing.
      const columns = s.transpose(s.reshape(x, [rows, util.sizeFromShape(kept)]), [1, 0]);
      const weights = s.alloc([rows, 1]);
      f32(backend, weights).fill(mean ? 1 / rows : 1);
      const reduced = s.run('BatchMatMul', { a: columns, b: weights }, { transposeA: false, transposeB: false });
      return s.reshape(reduced, outShape);
    });
  };
  return kernelFunc as unknown as KernelFunc;
}
