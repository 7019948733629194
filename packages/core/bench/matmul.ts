import * as tf from '@tensorflow/tfjs-core';
import { setWasmMatMulFastPath } from '../src/backend/wasm/index.js';
import type { MatMulRow } from './report.js';

const M = 64;
const K = 784;
const N = 256;
const REPEAT = 10;
const ROUNDS = 5;

/** Fastest of several rounds: the least disturbed by other load on a shared machine. */
function msPerOp(f: () => tf.Tensor): number {
  for (let i = 0; i < 5; i++) f().dispose();
  let best = Infinity;
  for (let round = 0; round < ROUNDS; round++) {
    const start = performance.now();
    for (let i = 0; i < REPEAT; i++) f().dispose();
    best = Math.min(best, (performance.now() - start) / REPEAT);
  }
  return best;
}

/**
 * 64x784 · 784x256 (an MNIST MLP's first layer) on wasm, each transpose combination, with and
 * without the fast path. Operands are reused, so XNNPACK's cache of the packed right-hand
 * operand is warm, as in the prototype's numbers; the "fresh b" row pays that packing, as
 * training does every step because the weights change.
 */
export function matmulRows(): MatMulRow[] {
  const a = tf.randomNormal([M, K]);
  const aT = tf.transpose(a);
  const b = tf.randomNormal([K, N]);
  const bT = tf.transpose(b);
  const op = `${M}x${K} · ${K}x${N}`;
  const cases: [string, () => tf.Tensor][] = [
    ['plain', () => tf.matMul(a, b)],
    ['transposeA', () => tf.matMul(aT, b, true, false)],
    ['transposeB', () => tf.matMul(a, bT, false, true)],
    ['transposeA+B', () => tf.matMul(aT, bT, true, true)],
    ['plain, fresh b', () => tf.tidy(() => tf.matMul(a, tf.clone(b)))],
  ];
  const rows: MatMulRow[] = [];
  for (const fast of [false, true]) {
    setWasmMatMulFastPath(fast);
    const plain = msPerOp(cases[0]![1]);
    for (const [name, f] of cases) {
      const ms = name === 'plain' ? plain : msPerOp(f);
      rows.push({ op, variant: `${name}${fast ? ', fast path' : ''}`, ms, speedup: plain / ms });
    }
  }
  setWasmMatMulFastPath(true);
  tf.dispose([a, aT, b, bT]);
  return rows;
}
