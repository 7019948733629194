import { describe, it, expect, beforeAll } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { isMatMulFastPathOn, setWasmMatMulFastPath, swapIsCheaper } from './matmul-fast-path.js';
import { onBoth, relErr, seeded, useWasm } from './test-helpers.js';

beforeAll(useWasm);

/** Logical shapes: a is [...batchA, m, k], b is [...batchB, k, n]. */
const CASES: { batchA: number[]; batchB: number[]; m: number; k: number; n: number; why: string }[] = [
  { batchA: [], batchB: [], m: 5, k: 7, n: 3, why: 'tiny 2-D' },
  { batchA: [], batchB: [], m: 33, k: 40, n: 30, why: '2-D' },
  { batchA: [], batchB: [], m: 4, k: 50, n: 60, why: '2-D, B·Aᵀ orientation when b is transposed' },
  { batchA: [3], batchB: [3], m: 40, k: 50, n: 40, why: 'equal batches, one product per entry' },
  { batchA: [2], batchB: [2], m: 5, k: 7, n: 3, why: 'equal small batches, original kernel' },
  { batchA: [1], batchB: [4], m: 40, k: 30, n: 35, why: 'a broadcast over b’s batch' },
  { batchA: [4], batchB: [], m: 6, k: 9, n: 5, why: 'rank-3 a, rank-2 b: batch folded into rows' },
  { batchA: [2, 3], batchB: [1], m: 6, k: 9, n: 5, why: 'rank-4 a, b batch 1' },
  { batchA: [1, 3], batchB: [2, 1], m: 4, k: 6, n: 5, why: 'mixed broadcast, original kernel' },
];

function operands(c: (typeof CASES)[number], tA: boolean, tB: boolean, seed: number) {
  const aShape = [...c.batchA, ...(tA ? [c.k, c.m] : [c.m, c.k])];
  const bShape = [...c.batchB, ...(tB ? [c.n, c.k] : [c.k, c.n])];
  return { aShape, bShape, a: seeded(aShape, seed), b: seeded(bShape, seed + 1) };
}

const COMBOS: [boolean, boolean][] = [
  [false, false],
  [true, false],
  [false, true],
  [true, true],
];

describe('wasm matmul fast path', () => {
  it('is installed, and takes both orientations for a transposed b', () => {
    expect(isMatMulFastPathOn()).toBe(true);
    const picks = CASES.map((c) => swapIsCheaper(c.m, c.k, c.n, false));
    expect(picks).toContain(true);
    expect(picks).toContain(false);
  });

  for (const [i, c] of CASES.entries()) {
    for (const [tA, tB] of COMBOS) {
      it(`BatchMatMul matches cpu: ${c.why}, transposeA ${tA}, transposeB ${tB}`, async () => {
        const { aShape, bShape, a, b } = operands(c, tA, tB, 200 + i);
        const r = await onBoth(() => tf.matMul(tf.tensor(a, aShape), tf.tensor(b, bShape), tA, tB));
        expect(r.shape.wasm).toEqual(r.shape.cpu);
        expect(relErr(r.wasm, r.cpu)).toBeLessThanOrEqual(1e-5);
        expect(r.leaked).toEqual({ buffers: 0, tensors: 0 });
      });
    }
  }

  const FUSED: { activation: tf.fused.Activation; bias: boolean; prelu?: boolean; batch: number[]; batchB?: number[] }[] = [
    { activation: 'relu', bias: true, batch: [] },
    { activation: 'linear', bias: true, batch: [3] },
    { activation: 'sigmoid', bias: false, batch: [] },
    { activation: 'elu', bias: true, batch: [2] },
    { activation: 'leakyrelu', bias: true, batch: [] },
    // wasm's own batched _FusedMatMul gets bias + PReLU wrong; the fast path does not.
    { activation: 'prelu', bias: true, prelu: true, batch: [2] },
    { activation: 'relu', bias: true, batch: [3], batchB: [3] },
    { activation: 'prelu', bias: true, prelu: true, batch: [1], batchB: [2] },
  ];
  for (const [i, f] of FUSED.entries()) {
    for (const [tA, tB] of COMBOS) {
      const batches = `batch [${f.batch}] x [${f.batchB ?? []}]`;
      it(`fused matMul matches cpu: ${f.activation}${f.bias ? ' + bias' : ''}, ${batches}, transposeA ${tA}, transposeB ${tB}`, async () => {
        const c = { batchA: f.batch, batchB: f.batchB ?? [], m: 9, k: 12, n: 7, why: '' };
        const { aShape, bShape, a, b } = operands(c, tA, tB, 300 + i);
        const bias = seeded([c.n], 400 + i);
        const alpha = seeded([c.n], 500 + i);
        const r = await onBoth(() =>
          tf.fused.matMul({
            a: tf.tensor(a, aShape),
            b: tf.tensor(b, bShape),
            transposeA: tA,
            transposeB: tB,
            ...(f.bias ? { bias: tf.tensor1d(bias) } : {}),
            activation: f.activation,
            ...(f.prelu ? { preluActivationWeights: tf.tensor1d(alpha) } : {}),
            ...(f.activation === 'leakyrelu' ? { leakyreluAlpha: 0.3 } : {}),
          }),
        );
        expect(r.shape.wasm).toEqual(r.shape.cpu);
        expect(relErr(r.wasm, r.cpu)).toBeLessThanOrEqual(1e-5);
        expect(r.leaked).toEqual({ buffers: 0, tensors: 0 });
      });
    }
  }

  it('can be switched off and on again', () => {
    expect(setWasmMatMulFastPath(false).sort()).toEqual(['BatchMatMul', '_FusedMatMul']);
    expect(isMatMulFastPathOn()).toBe(false);
    expect(setWasmMatMulFastPath(false)).toEqual([]);
    expect(setWasmMatMulFastPath(true).sort()).toEqual(['BatchMatMul', '_FusedMatMul']);
    expect(setWasmMatMulFastPath(true)).toEqual([]);
    expect(isMatMulFastPathOn()).toBe(true);
  });
});
