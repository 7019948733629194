import { UnlearnError } from '../errors.js';

/** The largest seed: the generator is seeded with 32 bits. */
export const MAX_SEED = 0xffff_ffff;

/**
 * Whether `value` is a seed: an integer from 0 to `MAX_SEED`. Anything else would either fail
 * deep in a run (NaN, a string) or silently share its random stream with another seed (the
 * generator truncates: -1, 1.5 and 2^32 would act as 4294967295, 1 and 0).
 */
export function isSeed(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= MAX_SEED;
}

/** Throws INVALID_OPTION for anything `isSeed` refuses; `where` names the caller. */
export function checkSeed(value: unknown, where: string): asserts value is number {
  if (!isSeed(value)) {
    throw new UnlearnError('INVALID_OPTION', `${where}: option "seed" must be an integer from 0 to ${MAX_SEED} (got ${describe(value)})`);
  }
}

function describe(value: unknown): string {
  if (typeof value === 'number') return String(value);
  return `${typeof value} ${JSON.stringify(value) ?? String(value)}`;
}
