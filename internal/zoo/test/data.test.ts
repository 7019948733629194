import { describe, it, expect } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { cifarLike } from '../src/index.js';

const read = (o: Parameters<typeof cifarLike>[0]) => {
  const d = cifarLike(o);
  const out = { x: d.x.dataSync().slice() as Float32Array, y: d.y.dataSync().slice() as Int32Array, shape: d.x.shape, dtype: d.y.dtype };
  tf.dispose([d.x, d.y]);
  return out;
};

describe('cifarLike', () => {
  it('is CIFAR-shaped, in [0, 1], with balanced int32 labels, and makes only its two tensors', () => {
    const before = tf.memory().numTensors;
    const d = cifarLike({ n: 103, classes: 10, seed: 4 });
    expect(tf.memory().numTensors).toBe(before + 2);
    expect(d.x.shape).toEqual([103, 32, 32, 3]);
    expect(d.y.dtype).toBe('int32');
    const x = d.x.dataSync() as Float32Array;
    expect(x.reduce((a, b) => Math.min(a, b))).toBeGreaterThanOrEqual(0);
    expect(x.reduce((a, b) => Math.max(a, b))).toBeLessThanOrEqual(1);
    const counts = new Array(10).fill(0);
    for (const c of d.y.dataSync()) counts[c]++;
    expect(Math.max(...counts) - Math.min(...counts)).toBeLessThanOrEqual(1);
    tf.dispose([d.x, d.y]);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('is fixed by its seed', () => {
    const a = read({ n: 20, seed: 7 });
    expect(read({ n: 20, seed: 7 })).toEqual(a);
    const b = read({ n: 20, seed: 8 });
    expect(b.x).not.toEqual(a.x);
    expect(b.y).not.toEqual(a.y);
  });

  it('takes the class count, image side and noise', () => {
    const d = read({ n: 30, classes: 3, size: 8, noise: 0 });
    expect(d.shape).toEqual([30, 8, 8, 3]);
    expect(new Set(d.y)).toEqual(new Set([0, 1, 2]));
    expect(() => cifarLike({ n: 0 })).toThrow(RangeError);
    expect(() => cifarLike({ n: 5, classes: 1 })).toThrow(RangeError);
  });

  it('puts the class in the pattern, not in the mean colour of the image', () => {
    // Nearest class mean on each image's average colour, fitted on one set, scored on another:
    // near chance (10%), so a model has to learn spatial filters to tell the classes apart.
    const meanColour = (x: Float32Array, i: number) => {
      const c = [0, 0, 0];
      for (let p = 0; p < 1024; p++) for (let k = 0; k < 3; k++) c[k]! += x[i * 3072 + p * 3 + k]! / 1024;
      return c;
    };
    const train = read({ n: 500, seed: 1 });
    const centres = Array.from({ length: 10 }, () => [0, 0, 0, 0]);
    for (let i = 0; i < 500; i++) {
      const c = meanColour(train.x, i);
      const s = centres[train.y[i]!]!;
      for (let k = 0; k < 3; k++) s[k]! += c[k]!;
      s[3]!++;
    }
    const test = read({ n: 500, seed: 2 });
    let hits = 0;
    for (let i = 0; i < 500; i++) {
      const c = meanColour(test.x, i);
      const dist = centres.map((s) => (c[0]! - s[0]! / s[3]!) ** 2 + (c[1]! - s[1]! / s[3]!) ** 2 + (c[2]! - s[2]! / s[3]!) ** 2);
      if (dist.indexOf(Math.min(...dist)) === test.y[i]) hits++;
    }
    expect(hits / 500).toBeLessThan(0.2);
  });
});
