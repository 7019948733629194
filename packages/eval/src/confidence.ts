import { checkClassIndices, UnlearnError } from '@unlearn/core';
import type { Probabilities } from './predict.js';

/**
 * Added to both probabilities before the logs, as the NeurIPS 2023 challenge's evaluation does:
 * about the smallest positive float32 (1.4e-45), so it only matters for a probability that a
 * float32 softmax rounded to 0, whose log would otherwise be −∞.
 */
export const CONFIDENCE_FLOOR = 1e-45;

/**
 * One label per row, at least two classes, and each label a class index (core's rule). `split`
 * names the labels in errors, as eval names a set by its argument when the caller gives no split.
 */
function checkRows(n: number, classes: number, labels: ArrayLike<number>, method: string, split: string): void {
  if (labels.length !== n) throw new UnlearnError('SHAPE_MISMATCH', `${method}: ${labels.length} labels for ${n} rows`, { split, field: 'y' });
  if (n > 0 && classes < 2) throw new UnlearnError('SHAPE_MISMATCH', `${method} needs at least 2 classes (got ${classes})`, { split, field: 'y' });
  checkClassIndices(labels, classes, { method, split, ...(split === 'labels' ? { y: 'labels' } : {}) });
}

/**
 * The logit-scaled confidence of LiRA (Carlini et al. 2022) per row, in float64:
 *
 *   φᵢ = ln(p_y + 1e-45) − ln(Σ_{k≠y} p_k + 1e-45),  y = labels[i]
 *
 * i.e. ln(p_y / (1 − p_y)). The wrong-class mass is summed, not taken as 1 − p_y: a confident
 * float32 softmax rounds p_y to 1, which would lose all of it, while the small probabilities
 * themselves keep their relative precision down to ~1e-38. No clamp to [ε, 1 − ε] either: a
 * clamp gives every confident example the same score and erases the member/non-member signal
 * the attacks read. The floor (`CONFIDENCE_FLOOR`) only keeps the logs finite, so φ lies in
 * about [−103.6, 103.6]. `split` names the labels' set in errors (`'labels'` unless given).
 */
export function logitScaledConfidence(probs: Probabilities, labels: ArrayLike<number>, split = 'labels'): Float64Array {
  const { values, n, classes } = probs;
  checkRows(n, classes, labels, 'logitScaledConfidence', split);
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const y = labels[i]!;
    let wrong = 0;
    for (let k = 0; k < classes; k++) if (k !== y) wrong += values[i * classes + k]!;
    out[i] = Math.log(values[i * classes + y]! + CONFIDENCE_FLOOR) - Math.log(wrong + CONFIDENCE_FLOOR);
  }
  return out;
}

/**
 * The same quantity from pre-softmax outputs, exactly and without a floor:
 * φᵢ = z_y − ln Σ_{k≠y} e^{z_k} (the softmax normaliser cancels), with the log-sum-exp shifted by
 * its largest term. Prefer it when logits are at hand: it stays finite for any margin, where the
 * probabilities saturate. `logits` is row-major `[n, classes]`; `split` as above.
 */
export function logitScaledConfidenceFromLogits(logits: Probabilities, labels: ArrayLike<number>, split = 'labels'): Float64Array {
  const { values, n, classes } = logits;
  checkRows(n, classes, labels, 'logitScaledConfidenceFromLogits', split);
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const y = labels[i]!;
    let max = Number.NEGATIVE_INFINITY;
    for (let k = 0; k < classes; k++) if (k !== y) max = Math.max(max, values[i * classes + k]!);
    let sum = 0;
    for (let k = 0; k < classes; k++) if (k !== y) sum += Math.exp(values[i * classes + k]! - max);
    out[i] = values[i * classes + y]! - (max + Math.log(sum));
  }
  return out;
}
