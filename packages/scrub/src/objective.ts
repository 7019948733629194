import * as tf from '@tensorflow/tfjs-core';
import { gradientsOf, type ModelAdapter } from '@unlearn/core';
import { distillationLoss, softTargets, type BatchGradients } from '@unlearn/retrain';

/** RepDistiller's DistillKL, which SCRUB uses: KL summed over classes, / batch, × T². */
const kl = (student: tf.Tensor, targets: tf.Tensor, temperature: number) =>
  distillationLoss(student, targets, { temperature, reduction: 'batchmean', scaleByTemperatureSquared: true });

/**
 * A max-step's objective on a forget batch: −KL(teacher ‖ student) (docs/algorithms/scrub.md,
 * The math in short). The teacher runs in inference mode, the student in training mode.
 */
export function maxStepGradients(student: ModelAdapter, teacher: ModelAdapter, temperature: number): BatchGradients {
  const vars = student.trainable.map((v) => v.variable);
  return (batch) =>
    tf.tidy(() => {
      const targets = softTargets(teacher.logits(batch.x, { training: false }), temperature);
      const { value, grads } = gradientsOf(() => tf.neg(kl(student.logits(batch.x, { training: true }), targets, temperature)), vars);
      return { loss: value, grads };
    });
}

/** A min-step's objective on a labelled retain batch: α·KL(teacher ‖ student) + γ·CE(student, y). */
export function minStepGradients(student: ModelAdapter, teacher: ModelAdapter, temperature: number, alpha: number, gamma: number): BatchGradients {
  const vars = student.trainable.map((v) => v.variable);
  return (batch) =>
    tf.tidy(() => {
      const targets = softTargets(teacher.logits(batch.x, { training: false }), temperature);
      const { value, grads } = gradientsOf(() => {
        const logits = student.logits(batch.x, { training: true });
        const ce = tf.losses.softmaxCrossEntropy(tf.oneHot(batch.y!, logits.shape[1]!), logits) as tf.Scalar;
        return tf.add(tf.mul(kl(logits, targets, temperature), alpha), tf.mul(ce, gamma)) as tf.Scalar;
      }, vars);
      return { loss: value, grads };
    });
}
