import * as tf from '@tensorflow/tfjs-core';
import { gradientsOf, type ModelAdapter } from '@unlearn/core';
import { distillationLoss, softTargets, type BatchGradients } from '@unlearn/retrain';

/** RepDistiller's DistillKL, which SCRUB uses: KL summed over classes, / batch, × T². */
const kl = (student: tf.Tensor, targets: tf.Tensor, temperature: number) =>
  distillationLoss(student, targets, { temperature, reduction: 'batchmean', scaleByTemperatureSquared: true });

/**
 * PyTorch's clip_grad_norm_: every gradient × min(1, maxNorm / (‖g‖ + 1e-6)), ‖g‖ the L2 norm of all
 * of them together. 0 turns it off.
 */
export function clipByGlobalNorm(grads: tf.Tensor[], maxNorm: number): tf.Tensor[] {
  if (maxNorm <= 0) return grads;
  const total = tf.sqrt(tf.addN(grads.map((g) => tf.sum(tf.square(g)))));
  const coef = tf.minimum(tf.div(maxNorm, tf.add(total, 1e-6)), 1);
  return grads.map((g) => tf.mul(g, coef));
}

/**
 * A max-step's objective on a forget batch: −KL(teacher ‖ student) (docs/algorithms/scrub.md,
 * The math in short). The teacher runs in inference mode, the student in training mode.
 */
export function maxStepGradients(student: ModelAdapter, teacher: ModelAdapter, temperature: number, clipNorm: number): BatchGradients {
  const vars = student.trainable.map((v) => v.variable);
  return (batch) =>
    tf.tidy(() => {
      const targets = softTargets(teacher.logits(batch.x, { training: false }), temperature);
      const { value, grads } = gradientsOf(() => tf.neg(kl(student.logits(batch.x, { training: true }), targets, temperature)), vars);
      return { loss: value, grads: clipByGlobalNorm(grads, clipNorm) };
    });
}

/** A min-step's objective on a labelled retain batch: α·KL(teacher ‖ student) + γ·CE(student, y). */
export function minStepGradients(student: ModelAdapter, teacher: ModelAdapter, temperature: number, alpha: number, gamma: number, clipNorm: number): BatchGradients {
  const vars = student.trainable.map((v) => v.variable);
  return (batch) =>
    tf.tidy(() => {
      const targets = softTargets(teacher.logits(batch.x, { training: false }), temperature);
      const { value, grads } = gradientsOf(() => {
        const logits = student.logits(batch.x, { training: true });
        const ce = tf.losses.softmaxCrossEntropy(tf.oneHot(batch.y!, logits.shape[1]!), logits) as tf.Scalar;
        return tf.add(tf.mul(kl(logits, targets, temperature), alpha), tf.mul(ce, gamma)) as tf.Scalar;
      }, vars);
      return { loss: value, grads: clipByGlobalNorm(grads, clipNorm) };
    });
}
