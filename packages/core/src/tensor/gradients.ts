import '../tfjs-runtime.js';
import * as tf from '@tensorflow/tfjs-core';

/**
 * The value of `loss` and its gradient with respect to each variable, in the order given.
 * Variables the loss does not depend on get a zero gradient instead of being left out.
 */
export function gradientsOf(
  loss: () => tf.Scalar,
  variables: readonly tf.Variable[],
): { value: tf.Scalar; grads: tf.Tensor[] } {
  const { value, grads } = tf.variableGrads(loss, variables as tf.Variable[]);
  const ordered = variables.map((v) => grads[v.name] ?? tf.zerosLike(v));
  return { value, grads: ordered };
}

/** θ ← θ − lr · g for each variable (plain SGD, no momentum or decay). */
export function sgdStep(variables: readonly tf.Variable[], grads: readonly tf.Tensor[], lr: number): void {
  tf.tidy(() => {
    variables.forEach((v, i) => {
      const g = grads[i];
      if (g) v.assign(tf.sub(v, tf.mul(g, lr)));
    });
  });
}
