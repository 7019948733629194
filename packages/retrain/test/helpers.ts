import * as tf from '@tensorflow/tfjs-core';
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

/** Sample-weighted accuracy of a model on labelled data. */
export function accuracy(model: LayersModel, data: { x: tf.Tensor; y: tf.Tensor }): number {
  return tf.tidy(() => {
    const pred = tf.argMax(toModelAdapter(model).logits(data.x), 1);
    return tf.mean(tf.cast(tf.equal(pred, tf.cast(data.y, 'int32')), 'float32')).dataSync()[0]!;
  });
}

export async function values(model: LayersModel): Promise<Float32Array[]> {
  return Promise.all(toModelAdapter(model).variables.map(async (v) => (await v.variable.data()) as Float32Array));
}
