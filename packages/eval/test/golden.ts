import { readFileSync } from 'node:fs';
import { expect } from 'vitest';

/**
 * A fixture written by scripts/golden/make_eval_fixtures.py (an independent NumPy
 * re-computation, float64). NaN is stored as null there, as JSON has no NaN.
 */
export function readGolden<T>(name: string): T {
  return JSON.parse(readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8')) as T;
}

export const orNaN = (v: number | null) => (v === null ? Number.NaN : v);

/** |actual − expected| ≤ 1e-9 · max(1, |expected|): relative, except near 0 where cancellation makes it absolute. */
export function close(actual: number, expected: number | null, what = '', rtol = 1e-9): void {
  const e = orNaN(expected);
  if (Number.isNaN(e)) {
    expect(actual, `${what}: expected NaN`).toBeNaN();
    return;
  }
  expect(Math.abs(actual - e), `${what}: ${actual} vs ${e}`).toBeLessThanOrEqual(rtol * Math.max(1, Math.abs(e)));
}

export function allClose(actual: ArrayLike<number>, expected: readonly (number | null)[], what = '', rtol = 1e-9): void {
  expect(actual.length, `${what}: length`).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) close(actual[i]!, expected[i]!, `${what}[${i}]`, rtol);
}
