import { util } from '@tensorflow/tfjs-core';
import type { KernelConfig, KernelFunc, MeanAttrs, SumAttrs, TensorInfo } from '@tensorflow/tfjs-core';
import { f32 } from './kernel-utils.js';
import type { WasmBackend } from './kernel-utils.js';

/**
 * wasm's Sum and Mean move the reduced axes last with a generic transpose before reducing. For
 * the leading axes (every bias gradient: NHWC dy summed over N, H, W; batch-norm moments and
 * their gradients) that transpose dominates, and a 2-D transpose with a matrix-vector product
 * instead still spends 40 ms transposing 64x32x32x48. Reading the rows in place and adding them
 * into one float64 accumulator per column, four rows at a time, takes 2 ms, and rounds once.
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
    const out = backend.makeOutput(outShape, 'float32');
    const sums = columnSums(f32(backend, x), rows, util.sizeFromShape(kept));
    const dst = f32(backend, out);
    const scale = mean ? 1 / rows : 1;
    for (let c = 0; c < sums.length; c++) dst[c] = sums[c]! * scale;
    return out;
  };
  return kernelFunc as unknown as KernelFunc;
}

/** Σ over the rows of a row-major [rows, cols] matrix, in float64. */
function columnSums(x: Float32Array, rows: number, cols: number): Float64Array {
  const acc = new Float64Array(cols);
  let r = 0;
  for (; r + 4 <= rows; r += 4) {
    const o = r * cols;
    for (let c = 0; c < cols; c++) acc[c]! += x[o + c]! + x[o + cols + c]! + (x[o + 2 * cols + c]! + x[o + 3 * cols + c]!);
  }
  for (; r < rows; r++) for (let c = 0, o = r * cols; c < cols; c++) acc[c]! += x[o + c]!;
  return acc;
}
