import { backend_util } from '@tensorflow/tfjs-core';
import type { AvgPoolGradAttrs, KernelConfig, KernelFunc, MaxPoolGradAttrs, TensorInfo } from '@tensorflow/tfjs-core';
import { f32 } from './kernel-utils.js';
import type { WasmBackend } from './kernel-utils.js';

/**
 * wasm's MaxPoolGrad and AvgPoolGrad are scalar loops over every input pixel and every window
 * that might cover it: 18 ms and 9 ms for the 64x26x26x16 -> 2x2 pool of an MNIST CNN, about a
 * third of its whole training step. Walking each window once in JS takes 2-4 ms.
 * Semantics follow the cpu kernels: the gradient goes to the first maximum in row-major window
 * order (ties are common after ReLU), and the average divides by the full window size even
 * where the window overlaps padding.
 */

type Shape4 = [number, number, number, number];

/**
 * Clipped window bounds per output pixel, [rowLo, rowHi, colLo, colHi] for each output
 * (y, x), shared by every batch entry. Precomputed so the hot loops stay monomorphic and
 * inline (a per-window callback cost ~50% here).
 */
function windowBounds(info: backend_util.Conv2DInfo): Int32Array {
  const { inHeight, inWidth, outHeight, outWidth, strideHeight, strideWidth } = info;
  const bounds = new Int32Array(outHeight * outWidth * 4);
  let i = 0;
  for (let y = 0; y < outHeight; y++) {
    const top = y * strideHeight - info.padInfo.top;
    for (let x = 0; x < outWidth; x++) {
      const left = x * strideWidth - info.padInfo.left;
      bounds[i++] = Math.max(0, top);
      bounds[i++] = Math.min(inHeight, top + info.effectiveFilterHeight);
      bounds[i++] = Math.max(0, left);
      bounds[i++] = Math.min(inWidth, left + info.effectiveFilterWidth);
    }
  }
  return bounds;
}

export function fastMaxPoolGrad(original: KernelConfig): KernelFunc {
  const kernelFunc = (args: {
    inputs: { dy?: TensorInfo; input?: TensorInfo; output?: TensorInfo };
    backend: WasmBackend;
    attrs: MaxPoolGradAttrs;
  }): TensorInfo => {
    const { inputs, backend, attrs } = args;
    const { dy, input, output } = inputs;
    if (!dy || !input || !output || input.dtype !== 'float32') {
      return original.kernelFunc(args as never) as TensorInfo;
    }
    const info = backend_util.computePool2DInfo(
      input.shape as Shape4,
      attrs.filterSize,
      attrs.strides,
      1,
      attrs.pad,
      attrs.dimRoundingMode,
    );
    const { inHeight: h, inWidth: w, inChannels: c } = info;
    const out = backend.makeOutput([...input.shape], 'float32');
    const dx = f32(backend, out);
    const xs = f32(backend, input);
    const ys = f32(backend, output);
    const dys = f32(backend, dy);
    dx.fill(0);
    // The forward output is the window maximum, so the first pixel equal to it is the first
    // maximum. Searching per channel for that pixel mispredicts about once per window, where a
    // running-maximum scan mispredicts on about every pixel: 3.5 ms instead of 5-7 ms.
    const bounds = windowBounds(info);
    const pixels = bounds.length / 4;
    // 2x2 windows at stride 2 (most CNNs) never overlap: a whole window is four fixed offsets.
    const halving = info.filterHeight === 2 && info.filterWidth === 2 && info.strideHeight === 2 && info.strideWidth === 2;
    for (let b = 0; b < info.batchSize; b++) {
      for (let p = 0; p < pixels; p++) {
        const o = (b * pixels + p) * c;
        const r0 = bounds[4 * p]!;
        const r1 = bounds[4 * p + 1]!;
        const q0 = bounds[4 * p + 2]!;
        const q1 = bounds[4 * p + 3]!;
        if (halving && r1 - r0 === 2 && q1 - q0 === 2) {
          const p00 = ((b * h + r0) * w + q0) * c;
          const p01 = p00 + c;
          const p10 = p00 + w * c;
          const p11 = p10 + c;
          for (let ch = 0; ch < c; ch++) {
            const m = ys[o + ch]!;
            if (!(m > -Infinity)) continue;
            const g = dys[o + ch]!;
            if (xs[p00 + ch] === m) dx[p00 + ch] = g;
            else if (xs[p01 + ch] === m) dx[p01 + ch] = g;
            else if (xs[p10 + ch] === m) dx[p10 + ch] = g;
            else if (xs[p11 + ch] === m) dx[p11 + ch] = g;
          }
          continue;
        }
        for (let ch = 0; ch < c; ch++) {
          const m = ys[o + ch]!;
          // cpu semantics: an all -Infinity (or NaN) window passes no gradient.
          if (!(m > -Infinity)) continue;
          search: for (let r = r0; r < r1; r++) {
            for (let q = q0; q < q1; q++) {
              const at = ((b * h + r) * w + q) * c + ch;
              if (xs[at] === m) {
                dx[at] = dx[at]! + dys[o + ch]!;
                break search;
              }
            }
          }
        }
      }
    }
    return out;
  };
  return kernelFunc as unknown as KernelFunc;
}

export function fastAvgPoolGrad(original: KernelConfig): KernelFunc {
  const kernelFunc = (args: {
    inputs: { dy?: TensorInfo; input?: TensorInfo };
    backend: WasmBackend;
    attrs: AvgPoolGradAttrs;
  }): TensorInfo => {
    const { inputs, backend, attrs } = args;
    const { dy, input } = inputs;
    if (!dy || !input) throw new Error('AvgPoolGrad needs dy and input');
    if (input.dtype !== 'float32') return original.kernelFunc(args as never) as TensorInfo;
    const info = backend_util.computePool2DInfo(input.shape as Shape4, attrs.filterSize, attrs.strides, 1, attrs.pad);
    const { inHeight: h, inWidth: w, inChannels: c } = info;
    const out = backend.makeOutput([...input.shape], 'float32');
    const dx = f32(backend, out);
    const dys = f32(backend, dy);
    dx.fill(0);
    const bounds = windowBounds(info);
    const pixels = bounds.length / 4;
    for (let b = 0; b < info.batchSize; b++) {
      for (let p = 0; p < pixels; p++) {
        const o = (b * pixels + p) * c;
        for (let r = bounds[4 * p]!; r < bounds[4 * p + 1]!; r++) {
          for (let q = bounds[4 * p + 2]!; q < bounds[4 * p + 3]!; q++) {
            const base = ((b * h + r) * w + q) * c;
            for (let ch = 0; ch < c; ch++) dx[base + ch] = dx[base + ch]! + dys[o + ch]!;
          }
        }
      }
    }
    const scale = 1 / (info.filterHeight * info.filterWidth);
    for (let i = 0; i < dx.length; i++) dx[i] = dx[i]! * scale;
    return out;
  };
  return kernelFunc as unknown as KernelFunc;
}
