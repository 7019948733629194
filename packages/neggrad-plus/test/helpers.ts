import * as tf from '@tensorflow/tfjs-core';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import { crossEntropyGradients, hashWeights, sgdStep, toModelAdapter, } from '@unlearn/core';
import { tinyClassifier } from '@unlearn/core/testing';

export const hash = (m: LayersModel) => hashWeights(toModelAdapter(m));

export { expectUnlearnError as expectCode } from '@unlearn/core/vitest';

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
