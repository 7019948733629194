import { createRng, invalidOption, shuffledIndices, UnlearnError } from '@unlearn/core';
import type { Scenario } from './scenario.js';
import { defineScenario } from './scenario.js';

export type RandomSamplesSize = number | { fraction: number };

/**
 * How many samples a fraction selects, as torch's `random_split` does for [p, 1 − p]: the
 * floors leave one sample over when p·n is fractional and it goes to the first part, so
 * 0.00165 of 50,000 gives 83 (the reference's "100 samples" run).
 */
export function forgetCount(size: RandomSamplesSize, n: number): number {
  if (typeof size === 'number') return size;
  const exact = size.fraction * n;
  const floor = Math.floor(exact + 1e-9);
  return Math.abs(exact - floor) < 1e-9 ? floor : floor + 1;
}

/**
 * Random forgetting (docs/evaluation.md, Scenarios): Df = `size` training samples drawn uniformly without
 * replacement. As in the reference, forget-test is Df itself and retain-test is the whole test
 * set. With `seed` the draw is fixed; without it each benchmark seed draws its own Df.
 */
export function randomSamples(size: RandomSamplesSize, seed?: number): Scenario {
  if (typeof size === 'number') {
    if (!Number.isInteger(size) || size < 1) throw invalidOption('randomSamples', 'count', 'a positive integer', size);
  } else if (!size || typeof size.fraction !== 'number' || !(size.fraction > 0 && size.fraction < 1)) {
    throw invalidOption('randomSamples', 'fraction', 'a number strictly between 0 and 1', size?.fraction);
  }
  if (seed !== undefined && !Number.isFinite(seed)) throw invalidOption('randomSamples', 'seed', 'a finite number', seed);
  const label = typeof size === 'number' ? `${size}` : `${size.fraction * 100}%`;
  const name = `random(${label})`;
  return defineScenario({
    name,
    kind: 'random',
    params: typeof size === 'number' ? { count: size, seed: seed ?? null } : { fraction: size.fraction, seed: seed ?? null },
    seeded: seed === undefined,
    indices(labels, runSeed) {
      const n = labels.train.length;
      const count = forgetCount(size, n);
      if (count > n) {
        throw new UnlearnError('INVALID_OPTION', `${name}: cannot forget ${count} samples from a training set of ${n}`);
      }
      const order = shuffledIndices(n, createRng(seed ?? runSeed).fork('random-samples'));
      const forgetTrain = order.slice(0, count);
      return {
        forgetTrain,
        forgetTest: { from: 'train', indices: forgetTrain },
        retainTest: { from: 'test', indices: Int32Array.from({ length: labels.test.length }, (_, i) => i) },
      };
    },
  });
}
