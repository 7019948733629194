import * as tf from '@tensorflow/tfjs-core';

/**
 * How a distillation loss averages the per-element KL terms p_t · (log p_t − log p_s):
 * - `batchmean`: summed over classes and divided by the batch size (PyTorch's `reduction='batchmean'`,
 *   and RepDistiller's `DistillKL`, which SCRUB uses: sum / batch);
 * - `mean`: divided by batch size × classes (PyTorch's default `reduction='mean'`, which the Bad
 *   Teacher reference calls without a reduction argument).
 */
export type DistillationReduction = 'batchmean' | 'mean';

export interface DistillationOptions {
  /** Softmax temperature T applied to both the teacher's and the student's logits. */
  temperature: number;
  reduction: DistillationReduction;
  /** Multiply by T² (Hinton et al.; RepDistiller/SCRUB do, the Bad Teacher reference does not). */
  scaleByTemperatureSquared: boolean;
}

/** softmax(logits / T), the teacher's soft targets [b, C]. */
export function softTargets(logits: tf.Tensor, temperature: number): tf.Tensor2D {
  return tf.tidy(() => tf.softmax(temperature === 1 ? logits : tf.div(logits, temperature)) as tf.Tensor2D);
}

/**
 * KL(teacher ‖ student) = Σ_c p_t · (log p_t − log softmax(s / T)), reduced as `options` say
 * (docs/algorithms/scrub.md and bad-teacher.md, The math in short). `targets` are the teacher's
 * probabilities (already at temperature T, e.g. from `softTargets`, or a per-example mix of two
 * teachers); they are constants, so the gradient flows through the student's logits only. A zero
 * target contributes 0 (0 · log 0 = 0, as PyTorch's kl_div).
 */
export function distillationLoss(studentLogits: tf.Tensor, targets: tf.Tensor, options: DistillationOptions): tf.Scalar {
  const { temperature: T, reduction, scaleByTemperatureSquared } = options;
  return tf.tidy(() => {
    const p = targets.dtype === 'float32' ? targets : tf.cast(targets, 'float32');
    const logStudent = tf.logSoftmax(T === 1 ? studentLogits : tf.div(studentLogits, T));
    // log(p + [p = 0]) is log p where p > 0 and log 1 = 0 where p = 0: 0 · log 0 counts as 0
    // without an Infinity anywhere (a where() would still compute log 0 in its other branch).
    const logP = tf.log(tf.add(p, tf.cast(tf.equal(p, 0), p.dtype)));
    const perElement = tf.mul(p, tf.sub(logP, logStudent));
    const [b, c] = studentLogits.shape as [number, number];
    const divisor = reduction === 'mean' ? b * c : b;
    const scale = (scaleByTemperatureSquared ? T * T : 1) / divisor;
    return tf.mul(tf.sum(perElement), scale) as tf.Scalar;
  });
}
