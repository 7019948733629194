import { BatchMatMul, broadcast_util, util, _FusedMatMul } from '@tensorflow/tfjs-core';
import type { KernelConfig, KernelFunc, NamedAttrMap, TensorInfo } from '@tensorflow/tfjs-core';
import { f32, isReplaced, replaceKernel, restoreKernel, withScratch } from './kernel-utils.js';
import type { Scratch, WasmBackend } from './kernel-utils.js';

/**
 * wasm's BatchMatMul hands only untransposed, batch-1 products to XNNPACK; transposed operands
 * and batched products take a scalar loop ~10x slower (64x784·784x256: 1.0 ms plain, 12-14 ms
 * with either transpose flag, 1.1 ms with an explicit Transpose first). Every Dense backward pass
 * multiplies by a transposed operand, so these wrappers transpose explicitly and reshape batched
 * products into batch-1 ones where the memory layout allows.
 */

/** Below this many multiply-adds per batch entry a per-entry XNNPACK call costs more than it saves. */
const MIN_MACS_PER_BATCH_ENTRY = 32 * 32 * 32;

interface MatMulInputs {
  a?: TensorInfo;
  b?: TensorInfo;
  bias?: TensorInfo;
  preluActivationWeights?: TensorInfo;
}
interface MatMulArgs {
  inputs: MatMulInputs;
  backend: WasmBackend;
  attrs: NamedAttrMap & { transposeA: boolean; transposeB: boolean };
}

function swapInner(s: Scratch, x: TensorInfo): TensorInfo {
  const r = x.shape.length;
  const perm = x.shape.map((_, i) => (i < r - 2 ? i : i === r - 2 ? r - 1 : r - 2));
  return s.transpose(x, perm);
}

interface Plain {
  a: TensorInfo;
  b: TensorInfo;
  batchA: number;
  batchB: number;
  m: number;
  k: number;
  n: number;
  outShape: number[];
}

function untranspose(s: Scratch, args: MatMulArgs): Plain {
  const { a: a0, b: b0 } = args.inputs;
  if (!a0 || !b0) throw new Error('matMul needs a and b');
  const a = args.attrs.transposeA ? swapInner(s, a0) : a0;
  const b = args.attrs.transposeB ? swapInner(s, b0) : b0;
  const outerA = a.shape.slice(0, -2);
  const outerB = b.shape.slice(0, -2);
  const m = a.shape[a.shape.length - 2]!;
  const k = a.shape[a.shape.length - 1]!;
  const n = b.shape[b.shape.length - 1]!;
  const kb = b.shape[b.shape.length - 2]!;
  util.assert(k === kb, () => `Error in matMul: inner shapes (${k}) and (${kb}) of ${a0.shape} and ${b0.shape} must match`);
  const outShape = [...broadcast_util.assertAndGetBroadcastShape(outerA, outerB), m, n];
  return { a, b, batchA: util.sizeFromShape(outerA), batchB: util.sizeFromShape(outerB), m, k, n, outShape };
}

const PLAIN = { transposeA: false, transposeB: false };

function batchMatMul(original: KernelConfig, args: MatMulArgs): TensorInfo {
  return withScratch(args.backend, (s) => {
    const p = untranspose(s, args);
    const { a, b, batchA, batchB, m, k, n, outShape } = p;
    const call = (x: TensorInfo, y: TensorInfo) =>
      s.track(original.kernelFunc({ inputs: { a: x, b: y }, backend: args.backend, attrs: PLAIN }) as TensorInfo);
    if (batchA === 1 && batchB === 1) return call(a, b);
    // [..., M, K] · [K, N] is one [(...·M), K] · [K, N] product: no data moves at all.
    if (batchB === 1) return s.reshape(call(s.reshape(a, [batchA * m, k]), s.reshape(b, [k, n])), outShape);
    const big = m * k * n >= MIN_MACS_PER_BATCH_ENTRY;
    if (batchA === 1 && big) {
      // [M, K] · [B, K, N] = [M, K] · [K, B·N], then move B back to the front.
      const bWide = s.reshape(s.transpose(s.reshape(b, [batchB, k, n]), [1, 0, 2]), [k, batchB * n]);
      const wide = call(s.reshape(a, [m, k]), bWide);
      return s.reshape(s.transpose(s.reshape(wide, [m, batchB, n]), [1, 0, 2]), outShape);
    }
    if (batchA === batchB && big && util.arraysEqual(a.shape.slice(0, -2), b.shape.slice(0, -2))) {
      return s.reshape(perEntry(s, call, p), outShape);
    }
    return call(a, b);
  });
}

/** Equal batches: one XNNPACK product per entry, copied into a shared output. */
function perEntry(s: Scratch, call: (x: TensorInfo, y: TensorInfo) => TensorInfo, p: Plain): TensorInfo {
  const { batchA: batch, m, k, n } = p;
  const a3 = s.reshape(p.a, [batch, m, k]);
  const b3 = s.reshape(p.b, [batch, k, n]);
  const out = s.alloc([batch, m, n]);
  for (let i = 0; i < batch; i++) {
    const ai = s.run('Slice', { x: a3 }, { begin: [i, 0, 0], size: [1, m, k] });
    const bi = s.run('Slice', { x: b3 }, { begin: [i, 0, 0], size: [1, k, n] });
    const ci = call(ai, bi);
    f32(s.backend, out).set(f32(s.backend, ci), i * m * n);
    s.free(ai);
    s.free(bi);
    s.free(ci);
  }
  return out;
}

function fusedMatMul(original: KernelConfig, args: MatMulArgs): TensorInfo {
  return withScratch(args.backend, (s) => {
    const { a, b, batchA, batchB, m, k, n, outShape } = untranspose(s, args);
    const attrs = { ...args.attrs, ...PLAIN };
    const call = (x: TensorInfo, y: TensorInfo) =>
      s.track(
        original.kernelFunc({ inputs: { ...args.inputs, a: x, b: y }, backend: args.backend, attrs }) as TensorInfo,
      );
    // Bias and activation act per element of the last axis, so folding the batch into the rows
    // keeps them valid; PReLU weights may be shaped like the output, so they keep the batch.
    if (batchB === 1 && batchA > 1 && !args.inputs.preluActivationWeights) {
      return s.reshape(call(s.reshape(a, [1, batchA * m, k]), s.reshape(b, [1, k, n])), outShape);
    }
    return call(a, b);
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
