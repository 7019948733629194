import { describe, expect, it } from 'vitest';
import { createRng, shuffledIndices } from '../src/index.js';

describe('createRng', () => {
  it('repeats for the same seed and differs across seeds', () => {
    const a = createRng(42);
    const b = createRng(42);
    const c = createRng(43);
    const seqA = Array.from({ length: 5 }, () => a.uint32());
    expect(Array.from({ length: 5 }, () => b.uint32())).toEqual(seqA);
    expect(Array.from({ length: 5 }, () => c.uint32())).not.toEqual(seqA);
  });

  it('forks independent, reproducible streams by label', () => {
    const x = createRng(1).fork('noise').next();
    expect(createRng(1).fork('noise').next()).toBe(x);
    expect(createRng(1).fork('shuffle').next()).not.toBe(x);
  });

  it('draws standard normals with mean ~0 and std ~1', () => {
    const rng = createRng(5);
    const n = 20000;
    let sum = 0;
    let sq = 0;
    for (let i = 0; i < n; i++) {
      const v = rng.normal();
      sum += v;
      sq += v * v;
    }
    const mean = sum / n;
    expect(Math.abs(mean)).toBeLessThan(0.03);
    expect(Math.abs(Math.sqrt(sq / n - mean * mean) - 1)).toBeLessThan(0.03);
  });

  it('seed 0 is a real seed, not "unseeded"', () => {
    expect(createRng(0).uint32()).toBe(createRng(0).uint32());
  });

  it('rejects a non-finite seed', () => {
    expect(() => createRng(Number.NaN)).toThrow(/seed/);
  });
});

describe('shuffledIndices', () => {
  it('is a seeded permutation', () => {
    const p = Array.from(shuffledIndices(50, createRng(3)));
    expect([...p].sort((a, b) => a - b)).toEqual(Array.from({ length: 50 }, (_, i) => i));
    expect(Array.from(shuffledIndices(50, createRng(3)))).toEqual(p);
    expect(p).not.toEqual(Array.from({ length: 50 }, (_, i) => i));
  });
});
