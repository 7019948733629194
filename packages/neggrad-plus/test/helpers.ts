import * as tf from '@tensorflow/tfjs-core';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import { crossEntropyGradients, hashWeights, isUnlearnError, sgdStep, toModelAdapter, type UnlearnErrorCode } from '@unlearn/core';
import { tinyClassifier } from '@unlearn/core/testing';
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

/**
 * A tiny classifier trained to fit `data` (full-batch SGD): NegGrad+'s ascent only dominates the
 * update on a model that already fits its retain set, as the models it is meant for do.
 */
const TRAIN_STEPS = 10;
export function trainedClassifier(data: { x: tf.Tensor; y: tf.Tensor }, opts: { inputDim: number; hidden: number; classes: number; seed: number }): LayersModel {
  const model = tinyClassifier(opts);
  const adapter = toModelAdapter(model);
  const vars = adapter.trainable.map((v) => v.variable);
  for (let i = 0; i < TRAIN_STEPS; i++) {
    const { loss, grads } = crossEntropyGradients(adapter, data.x, data.y, false);
    sgdStep(vars, grads, 0.5);
    tf.dispose([loss, ...grads]);
  }
  return model;
}
