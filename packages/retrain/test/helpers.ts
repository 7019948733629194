import * as tf from '@tensorflow/tfjs-core';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import { hashWeights, toModelAdapter, } from '@unlearn/core';

export const hash = (m: LayersModel) => hashWeights(toModelAdapter(m));

export { expectUnlearnError as expectCode } from '@unlearn/core/vitest';

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
