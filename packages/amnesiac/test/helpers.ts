import type { LayersModel } from '@tensorflow/tfjs-layers';
import { hashWeights, isUnlearnError, toModelAdapter, type UnlearnErrorCode } from '@unlearn/core';
import { expect } from 'vitest';

export const hash = (m: LayersModel) => hashWeights(toModelAdapter(m));

export async function expectCode(promise: Promise<unknown>, code: UnlearnErrorCode, message?: RegExp): Promise<Error> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(isUnlearnError(error), `expected an UnlearnError ${code}, got ${String(error)}`).toBe(true);
  expect((error as { code: string }).code, (error as Error).message).toBe(code);
  if (message) expect((error as Error).message).toMatch(message);
  return error as Error;
}
