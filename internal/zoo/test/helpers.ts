import * as tf from '@tensorflow/tfjs-core';
import type { LayersModel } from '@tensorflow/tfjs-layers';

/** Inputs as plain arrays, so the same values can be rebuilt on another backend. */
export interface Batch {
  x: Float32Array;
  shape: [number, number, number, number];
  y: Int32Array;
  classes: number;
}

/**
 * ∂(mean softmax cross-entropy)/∂w for every trainable weight, on the active backend, in
 * training mode (BatchNorm on batch statistics). Builds and disposes its own model and tensors.
 */
export function lossGradients(build: () => LayersModel, batch: Batch): Float32Array[] {
  const model = build();
  const vars = model.trainableWeights.map((w) => w.read() as tf.Variable);
  const x = tf.tensor4d(batch.x, batch.shape);
  const y = tf.tidy(() => tf.oneHot(tf.tensor1d(batch.y, 'int32'), batch.classes));
  const { value, grads } = tf.variableGrads(
    () => tf.losses.softmaxCrossEntropy(y, model.apply(x, { training: true }) as tf.Tensor) as tf.Scalar,
    vars,
  );
  const out = vars.map((v) => grads[v.name]!.dataSync().slice() as Float32Array);
  tf.dispose([value, x, y, ...Object.values(grads)]);
  model.dispose();
  return out;
}

export function norm(parts: ArrayLike<number>[]): number {
  let s = 0;
  for (const p of parts) for (let i = 0; i < p.length; i++) s += p[i]! ** 2;
  return Math.sqrt(s);
}

/**
 * Per weight, ‖a − b‖ / max(‖b‖, 1e-3 ‖all of b‖). The floor judges a gradient that is zero in
 * exact arithmetic (a bias whose shift the next normalisation removes) against the gradient's
 * scale, where comparing one backend's rounding noise with the other's would give errors near 1.
 */
export function gradientErrors(a: Float32Array[], b: Float32Array[]): number[] {
  const floor = 1e-3 * norm(b);
  return a.map((g, i) => {
    let num = 0;
    for (let k = 0; k < g.length; k++) num += (g[k]! - b[i]![k]!) ** 2;
    return Math.sqrt(num) / Math.max(norm([b[i]!]), floor);
  });
}
