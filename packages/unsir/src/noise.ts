import * as tf from '@tensorflow/tfjs-core';
import { gradientsOf, type ModelAdapter } from '@unlearn/core';
import { createOptimizer } from '@unlearn/retrain';

export interface NoiseSettings {
  steps: number;
  learningRate: number;
  regularization: number;
  /** Called after every step with the loss before it; may throw to stop (abort). */
  onStep(step: number, loss: number): void;
}

/**
 * Learns the error-maximising noise of one class (docs/algorithms/unsir.md, The math in short):
 * starting from `init` ([rows, ...inputShape]), `steps` Adam steps on
 *   −CE(f(N), class) + λ · mean_i ‖N_i‖²₂
 * with the model frozen and in inference mode. Returns the noise (the caller owns it) and the
 * loss before the first and after the last step.
 */
export async function learnNoise(
  model: ModelAdapter,
  cls: number,
  init: tf.Tensor,
  s: NoiseSettings,
): Promise<{ noise: tf.Tensor; first: number; last: number }> {
  const rows = init.shape[0]!;
  const noise = tf.variable(init, true);
  const optimizer = createOptimizer({ optimizer: 'adam', learningRate: s.learningRate, momentum: 0 });
  const target = tf.tidy(() => tf.oneHot(tf.fill([rows], cls, 'int32') as tf.Tensor1D, model.numClasses ?? logitsWidth(model, noise)));
  const objective = (): tf.Scalar =>
    tf.tidy(() => {
      const ce = tf.losses.softmaxCrossEntropy(target, model.logits(noise, { training: false }));
      const norm = tf.div(tf.sum(tf.square(noise)), rows);
      return tf.add(tf.neg(ce), tf.mul(norm, s.regularization)) as tf.Scalar;
    });
  try {
    let first = NaN;
    for (let step = 0; step < s.steps; step++) {
      const loss = tf.tidy(() => {
        const { value, grads } = gradientsOf(objective, [noise]);
        optimizer.optimizer.applyGradients([{ name: noise.name, tensor: grads[0]! }]);
        return value;
      });
      const value = (await loss.data())[0]!;
      loss.dispose();
      if (step === 0) first = value;
      s.onStep(step, value);
    }
    const final = objective();
    const last = (await final.data())[0]!;
    final.dispose();
    return { noise: noise.clone(), first, last };
  } finally {
    noise.dispose();
    target.dispose();
    optimizer.dispose();
  }
}

function logitsWidth(model: ModelAdapter, x: tf.Tensor): number {
  return tf.tidy(() => model.logits(tf.slice(x, 0, 1), { training: false }).shape[1]!);
}
