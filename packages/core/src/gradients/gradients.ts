import '../tfjs-runtime.js';
import * as tf from '@tensorflow/tfjs-core';
import type { ModelAdapter } from '../model/types.js';

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

/**
 * The mean softmax cross-entropy of `model` on a labelled batch (`y`: class indices) and its
 * gradient for every trainable variable, in the model's order: the training step of retrain and
 * finetune, on whichever thread computes it.
 */
export function crossEntropyGradients(
  model: ModelAdapter,
  x: tf.Tensor,
  y: tf.Tensor,
  training = true,
): { loss: tf.Scalar; grads: tf.Tensor[] } {
  return tf.tidy(() => {
    const { value, grads } = gradientsOf(
      () => {
        const logits = model.logits(x, { training });
        return tf.losses.softmaxCrossEntropy(tf.oneHot(y as tf.Tensor1D, logits.shape[1]!), logits) as tf.Scalar;
      },
      model.trainable.map((v) => v.variable),
    );
    return { loss: value, grads };
  });
}
