import { createRng } from '../src/index.js';
import { describe, expect, it } from 'vitest';
import { gaussianSource } from '../src/index.js';

const draw = (seed: number, n: number, std?: number) => {
  const out = new Float32Array(n);
  gaussianSource(createRng(seed)).fill(out, std);
  return out;
};

// Standard normal CDF (Abramowitz-Stegun 7.1.26 erf, |error| < 1.5e-7).
function phi(x: number): number {
  const z = Math.abs(x) / Math.SQRT2;
  const t = 1 / (1 + 0.3275911 * z);
  const erf = 1 - ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * Math.exp(-z * z);
  return x >= 0 ? (1 + erf) / 2 : (1 - erf) / 2;
}

describe('gaussianSource (ziggurat noise)', () => {
  const n = 200_000;
  const values = draw(1, n);

  it('has the moments of N(0, 1)', () => {
    let m1 = 0;
    let m2 = 0;
    let m4 = 0;
    for (const v of values) {
      m1 += v;
      m2 += v * v;
      m4 += v ** 4;
    }
    // Bounds are about 5 standard errors for n = 200,000.
    expect(Math.abs(m1 / n)).toBeLessThan(0.012);
    expect(Math.abs(m2 / n - 1)).toBeLessThan(0.016);
    expect(Math.abs(m4 / n - 3)).toBeLessThan(0.1);
  });

  it('matches the normal CDF (Kolmogorov-Smirnov) including the tails', () => {
    const sorted = Float64Array.from(values).sort();
    let d = 0;
    for (let i = 0; i < n; i++) {
      const f = phi(sorted[i]!);
      d = Math.max(d, Math.abs(f - i / n), Math.abs(f - (i + 1) / n));
    }
    // The 0.1% critical value is 1.95 / sqrt(n).
    expect(d).toBeLessThan(1.95 / Math.sqrt(n));
    // Beyond the base strip (|x| > 3.44) lies 0.058% of the mass: the tail path is used.
    const tail = values.filter((v) => Math.abs(v) > 3.442619855899).length / n;
    expect(tail).toBeGreaterThan(0.0003);
    expect(tail).toBeLessThan(0.0009);
  });

  it('is deterministic per seed, differs across seeds and continues its stream across calls', () => {
    expect(draw(5, 1000)).toEqual(draw(5, 1000));
    expect(draw(5, 1000)).not.toEqual(draw(6, 1000));
    const source = gaussianSource(createRng(9));
    const a = new Float32Array(600);
    const b = new Float32Array(400);
    source.fill(a);
    source.fill(b);
    const whole = draw(9, 1000);
    // The fast path takes one word per draw and rejected draws use a second stream, so
    // splitting a fill changes nothing.
    expect([...a, ...b]).toEqual([...whole]);
  });

  it('scales by std without changing the underlying draws', () => {
    const unit = draw(3, 5000);
    const scaled = draw(3, 5000, 0.25);
    const worst = Math.max(...scaled.map((v, i) => Math.abs(v - unit[i]! * 0.25)));
    expect(worst).toBeLessThan(1e-6);
    expect(Math.max(...scaled.map(Math.abs))).toBeGreaterThan(0.5);
  });
});
