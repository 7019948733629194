import { expect } from 'vitest';
import { isUnlearnError, type UnlearnError, type UnlearnErrorCode } from '../errors.js';

/**
 * Awaits `promise` and asserts it rejected with an `UnlearnError` of `code` (and a message matching
 * `message`); returns the error for further checks. For method and plugin tests of bad input.
 */
export async function expectUnlearnError(promise: Promise<unknown>, code: UnlearnErrorCode, message?: RegExp): Promise<UnlearnError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(isUnlearnError(error), `expected an UnlearnError ${code}, got ${String(error)}`).toBe(true);
  expect((error as UnlearnError).code, (error as Error).message).toBe(code);
  if (message) expect((error as Error).message).toMatch(message);
  return error as UnlearnError;
}
