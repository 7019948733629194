import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { distillationLoss, softTargets } from '../src/distillation.js';

// Expected values are computed here in float64 with plain loops, independently of tfjs:
// KL(p_t ‖ p_s) per row = Σ_c p_t[c] · (ln p_t[c] − ln p_s[c]), p = softmax(z / T).
function softmax64(row: number[], T: number): number[] {
  const z = row.map((v) => v / T);
  const m = Math.max(...z);
  const e = z.map((v) => Math.exp(v - m));
  const s = e.reduce((a, b) => a + b, 0);
  return e.map((v) => v / s);
}
function klRows(student: number[][], teacherProbs: number[][], T: number): number[] {
  return student.map((row, i) => {
    const ps = softmax64(row, T);
    return teacherProbs[i]!.reduce((acc, p, c) => acc + (p > 0 ? p * (Math.log(p) - Math.log(ps[c]!)) : 0), 0);
  });
}

const student = [
  [1.5, -0.3, 0.2, 0.9],
  [-1.1, 0.4, 2.2, 0.0],
  [0.3, 0.3, -0.7, 1.2],
];
const teacher = [
  [0.2, 1.0, -0.5, 0.4],
  [2.0, -1.0, 0.1, 0.3],
  [-0.2, 0.9, 0.6, -1.4],
];

describe('distillationLoss: KL(teacher ‖ student) on logits', () => {
  it.each([
    [1, 'batchmean', false],
    [4, 'batchmean', true],
    [4, 'mean', false],
    [2, 'mean', true],
  ] as const)('T %d, reduction %s, T² %s match a float64 computation within 1e-5', async (T, reduction, squared) => {
    const pt = teacher.map((r) => softmax64(r, T));
    const rows = klRows(student, pt, T);
    const sum = rows.reduce((a, b) => a + b, 0);
    const want = (sum / (reduction === 'mean' ? 3 * 4 : 3)) * (squared ? T * T : 1);
    const s = tf.tensor2d(student);
    const targets = softTargets(tf.tensor2d(teacher), T);
    const loss = distillationLoss(s, targets, { temperature: T, reduction, scaleByTemperatureSquared: squared });
    const got = (await loss.data())[0]!;
    expect(Math.abs(got - want)).toBeLessThan(1e-5 * Math.max(1, want));
    tf.dispose([s, targets, loss]);
  });

  it('is zero when the student equals the teacher, and its gradient is (p_s − p_t) / (b · T) per logit', async () => {
    const T = 3;
    const s = tf.tensor2d(student);
    const same = softTargets(s, T);
    const zero = distillationLoss(s, same, { temperature: T, reduction: 'batchmean', scaleByTemperatureSquared: false });
    expect(Math.abs((await zero.data())[0]!)).toBeLessThan(1e-6);
    const targets = softTargets(tf.tensor2d(teacher), T);
    const grad = tf.grad((z: tf.Tensor) => distillationLoss(z, targets, { temperature: T, reduction: 'batchmean', scaleByTemperatureSquared: false }))(s);
    const g = await grad.array() as number[][];
    const pt = teacher.map((r) => softmax64(r, T));
    student.forEach((row, i) => {
      const ps = softmax64(row, T);
      row.forEach((_, c) => expect(g[i]![c]!).toBeCloseTo((ps[c]! - pt[i]![c]!) / (3 * T), 6));
    });
    tf.dispose([s, same, zero, targets, grad]);
  });

  it('counts zero targets as 0 · log 0 = 0 (one-hot targets give the cross-entropy), without NaN', async () => {
    const s = tf.tensor2d(student);
    const oneHot = tf.oneHot(tf.tensor1d([2, 0, 3], 'int32'), 4);
    const loss = distillationLoss(s, oneHot, { temperature: 1, reduction: 'batchmean', scaleByTemperatureSquared: false });
    const ce = student.map((row, i) => -Math.log(softmax64(row, 1)[[2, 0, 3][i]!]!)).reduce((a, b) => a + b, 0) / 3;
    const got = (await loss.data())[0]!;
    expect(Number.isFinite(got)).toBe(true);
    expect(got).toBeCloseTo(ce, 5);
    tf.dispose([s, oneHot, loss]);
  });

  it('frees every intermediate tensor', () => {
    const s = tf.tensor2d(student);
    const t = tf.tensor2d(teacher);
    const before = tf.memory().numTensors;
    const targets = softTargets(t, 2);
    const loss = distillationLoss(s, targets, { temperature: 2, reduction: 'mean', scaleByTemperatureSquared: true });
    expect(tf.memory().numTensors).toBe(before + 2);
    tf.dispose([s, t, targets, loss]);
  });
});
