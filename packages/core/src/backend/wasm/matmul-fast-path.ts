import { BatchMatMul, broadcast_util, util, _FusedMatMul } from '@tensorflow/tfjs-core';
import type { KernelConfig, KernelFunc, NamedAttrMap, TensorInfo } from '@tensorflow/tfjs-core';
import { f32, isReplaced, replaceKernel, restoreKernel, withScratch } from './kernel-utils.js';
import type { Scratch, WasmBackend } from './kernel-utils.js';

/**
 * wasm's BatchMatMul hands only untransposed, batch-1 products to XNNPACK; transposed operands
 * and batched products take a scalar loop ~10x slower (64x784·784x256: 1.0 ms plain, 12-14 ms
 * with either transpose flag). Every Dense backward pass multiplies by a transposed operand, so
 * these wrappers transpose explicitly and turn batched products into batch-1 ones where the
 * memory layout allows.
 *
 * XNNPACK also repacks the right operand whenever it is a new tensor (~3.7 ns per element,
 * 0.8 ms for a 784x256 weight), and in training it always is. For A·Bᵀ it can be cheaper to
 * compute (B·Aᵀ)ᵀ, which packs Aᵀ instead: Dense's input gradient dy·Wᵀ then packs the small
 * dy rather than the whole weight matrix.
 */

/** Measured on wasm SIMD, single thread: ns per element. */
const PACK_NS = 3.7;
const TRANSPOSE_NS = 2;

/** Below this many multiply-adds per batch entry a per-entry XNNPACK call costs more than it saves. */
const MIN_MACS_PER_BATCH_ENTRY = 32 * 32 * 32;

interface MatMulArgs {
  inputs: { a?: TensorInfo; b?: TensorInfo; bias?: TensorInfo; preluActivationWeights?: TensorInfo };
  backend: WasmBackend;
  attrs: NamedAttrMap & { transposeA: boolean; transposeB: boolean };
}

type Call = (a: TensorInfo, b: TensorInfo) => TensorInfo;

const PLAIN = { transposeA: false, transposeB: false };
const last2 = (x: TensorInfo) => x.shape.slice(-2) as [number, number];
const outer = (x: TensorInfo) => x.shape.slice(0, -2);

function swapInner(s: Scratch, x: TensorInfo): TensorInfo {
  const r = x.shape.length;
  return s.transpose(
    x,
    x.shape.map((_, i) => (i < r - 2 ? i : i === r - 2 ? r - 1 : r - 2)),
  );
}

function logicalShape(args: MatMulArgs): { m: number; k: number; n: number; outShape: number[] } {
  const { a, b } = args.inputs;
  if (!a || !b) throw new Error('matMul needs a and b');
  const [a0, a1] = last2(a);
  const [b0, b1] = last2(b);
  const [m, k] = args.attrs.transposeA ? [a1, a0] : [a0, a1];
  const [kb, n] = args.attrs.transposeB ? [b1, b0] : [b0, b1];
  util.assert(k === kb, () => `Error in matMul: inner shapes (${k}) and (${kb}) of ${a.shape} and ${b.shape} must match`);
  return { m, k, n, outShape: [...broadcast_util.assertAndGetBroadcastShape(outer(a), outer(b)), m, n] };
}

/**
 * A 2-D product with either operand possibly stored transposed. Only a transposed B makes the
 * swap worth weighing: otherwise B may be a reused tensor whose packing XNNPACK has cached.
 */
function product2D(s: Scratch, call: Call, a: TensorInfo, b: TensorInfo, tA: boolean, tB: boolean): TensorInfo {
  const [m, k] = tA ? [a.shape[1]!, a.shape[0]!] : [a.shape[0]!, a.shape[1]!];
  const n = tB ? b.shape[0]! : b.shape[1]!;
  if (tB && swapIsCheaper(m, k, n, tA)) return s.transpose(call(b, tA ? a : s.transpose(a, [1, 0])), [1, 0]);
  return call(tA ? s.transpose(a, [1, 0]) : a, tB ? s.transpose(b, [1, 0]) : b);
}

/** For A[m,k]·Bᵀ with B stored [n,k]: is (B·Aᵀ)ᵀ cheaper, by the estimates above? */
export function swapIsCheaper(m: number, k: number, n: number, transposeA: boolean): boolean {
  const direct = (transposeA ? m * k * TRANSPOSE_NS : 0) + k * n * (TRANSPOSE_NS + PACK_NS);
  const swapped = (transposeA ? 0 : m * k * TRANSPOSE_NS) + k * m * PACK_NS + m * n * TRANSPOSE_NS;
  return swapped < direct;
}

function batchMatMul(original: KernelConfig, args: MatMulArgs): TensorInfo {
  const { a, b } = args.inputs as { a: TensorInfo; b: TensorInfo };
  const { transposeA: tA, transposeB: tB } = args.attrs;
  const { m, k, n, outShape } = logicalShape(args);
  const batchA = util.sizeFromShape(outer(a));
  const batchB = util.sizeFromShape(outer(b));
  return withScratch(args.backend, (s) => {
    const call: Call = (x, y) =>
      s.track(original.kernelFunc({ inputs: { a: x, b: y }, backend: args.backend, attrs: PLAIN }) as TensorInfo);
    if (batchB === 1) {
      const b2 = s.reshape(b, last2(b));
      if (batchA === 1) return s.reshape(product2D(s, call, s.reshape(a, last2(a)), b2, tA, tB), outShape);
      // [..., M, K] · [K, N] is one [(...·M), K] · [K, N] product.
      const rows = s.reshape(tA ? swapInner(s, a) : a, [batchA * m, k]);
      return s.reshape(product2D(s, call, rows, b2, false, tB), outShape);
    }
    const a1 = tA ? swapInner(s, a) : a;
    const b1 = tB ? swapInner(s, b) : b;
    const a3 = s.reshape(a1, [batchA, m, k]);
    const b3 = s.reshape(b1, [batchB, k, n]);
    const big = m * k * n >= MIN_MACS_PER_BATCH_ENTRY;
    if (batchA === 1 && big) {
      // [M, K] · [B, K, N] = [M, K] · [K, B·N], then move B back to the front.
      const wideB = s.reshape(s.transpose(b3, [1, 0, 2]), [k, batchB * n]);
      const wide = call(s.reshape(a3, [m, k]), wideB);
      return s.reshape(s.transpose(s.reshape(wide, [m, batchB, n]), [1, 0, 2]), outShape);
    }
    if (batchA === batchB && big && util.arraysEqual(outer(a), outer(b))) {
      return s.reshape(perEntry(s, call, a3, b3), outShape);
    }
    // Broadcasting of mixed outer dims ([1, 3] against [2, 1]) is left to the original.
    return call(a1, b1);
  });
}

/**
 * One XNNPACK product per batch entry, copied into a shared output; `a3` may have batch 1 and
 * is then shared by all entries. Entries are copied out by hand: wasm's Slice first copies its
 * whole input to JS (readSync), once per entry.
 */
function perEntry(s: Scratch, call: Call, a3: TensorInfo, b3: TensorInfo): TensorInfo {
  const [batchA, m, k] = a3.shape as [number, number, number];
  const [batch, , n] = b3.shape as [number, number, number];
  const out = s.alloc([batch, m, n]);
  const entry = (x: TensorInfo, i: number, rows: number, cols: number) => {
    const e = s.alloc([1, rows, cols]);
    const size = rows * cols;
    f32(s.backend, e).set(f32(s.backend, x).subarray(i * size, (i + 1) * size));
    return e;
  };
  for (let i = 0; i < batch; i++) {
    const ai = batchA === 1 ? a3 : entry(a3, i, m, k);
    const bi = entry(b3, i, k, n);
    const ci = call(ai, bi);
    f32(s.backend, out).set(f32(s.backend, ci), i * m * n);
    if (ai !== a3) s.free(ai);
    s.free(bi);
    s.free(ci);
  }
  return out;
}

/**
 * Bias and activation act along the last output axis, so the product keeps its orientation.
 * Batches are folded into rows or split into entries as in batchMatMul, which also sidesteps
 * a wasm bug: its batched _FusedMatMul with both bias and PReLU returns wrong values. PReLU
 * weights shaped like the output (rank > 1) keep the original batched call.
 */
function fusedMatMul(original: KernelConfig, args: MatMulArgs): TensorInfo {
  const { a, b, preluActivationWeights: prelu } = args.inputs as { a: TensorInfo; b: TensorInfo; preluActivationWeights?: TensorInfo };
  const { m, k, n, outShape } = logicalShape(args);
  const batchA = util.sizeFromShape(outer(a));
  const batchB = util.sizeFromShape(outer(b));
  return withScratch(args.backend, (s) => {
    const attrs = { ...args.attrs, ...PLAIN };
    const call: Call = (x, y) =>
      s.track(
        original.kernelFunc({ inputs: { ...args.inputs, a: x, b: y }, backend: args.backend, attrs }) as TensorInfo,
      );
    const a1 = args.attrs.transposeA ? swapInner(s, a) : a;
    const b1 = args.attrs.transposeB ? swapInner(s, b) : b;
    const perChannel = !prelu || prelu.shape.length <= 1;
    if (!perChannel) return call(a1, b1);
    if (batchB === 1) return s.reshape(call(s.reshape(a1, [1, batchA * m, k]), s.reshape(b1, [1, k, n])), outShape);
    if (batchA === 1 || util.arraysEqual(outer(a), outer(b))) {
      return s.reshape(perEntry(s, call, s.reshape(a1, [batchA, m, k]), s.reshape(b1, [batchB, k, n])), outShape);
    }
    return call(a1, b1);
  });
}

const IMPLS: Record<string, (o: KernelConfig, args: MatMulArgs) => TensorInfo> = {
  [BatchMatMul]: batchMatMul,
  [_FusedMatMul]: fusedMatMul,
};

export const MATMUL_KERNELS = Object.keys(IMPLS);

export function isMatMulFastPathOn(): boolean {
  return MATMUL_KERNELS.every(isReplaced);
}

/** Installs (true) or removes (false) the wrappers; returns the kernels whose registration changed. */
export function setWasmMatMulFastPath(enabled: boolean): string[] {
  return MATMUL_KERNELS.filter((name) => {
    if (!enabled) return restoreKernel(name);
    const impl = IMPLS[name]!;
    return replaceKernel(name, (original) => ((args: MatMulArgs) => impl(original, args)) as unknown as KernelFunc);
  });
}
