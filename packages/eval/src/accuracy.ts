import { agreement, topClasses, type ModelAdapter, type UnlearnableModel } from '@unlearn/core';
import type { LabelledData } from './data.js';
import { readLabels } from './data.js';
import type { Probabilities } from './predict.js';
import { predictProbabilities, type PredictOptions } from './predict.js';

/** Top-1 hits over all samples: core's `agreement` of its `topClasses` with the labels; NaN for none. */
export function accuracyFromProbabilities(probs: Probabilities, labels: ArrayLike<number>): number {
  if (labels.length !== probs.n) throw new RangeError(`accuracy: ${labels.length} labels for ${probs.n} predictions`);
  return agreement(topClasses(probs.values, probs.classes), labels);
}

/**
 * Sample-weighted top-1 accuracy: acc = (1/n) Σᵢ [argmaxₖ p(k | xᵢ) = yᵢ], a fraction in [0, 1].
 * Higher is better on retained data; on forgotten data the target is the retrained model's value.
 *
 * The reference code averages per-batch accuracies instead, which over-weights the last partial
 * batch; the two agree when every batch is full (docs/evaluation.md, metrics table).
 */
export async function accuracy(
  model: UnlearnableModel | ModelAdapter,
  data: LabelledData,
  options: PredictOptions = {},
): Promise<number> {
  const labels = await readLabels(data, 'accuracy: data');
  const probs = await predictProbabilities(model, data.x, options);
  return accuracyFromProbabilities(probs, labels);
}
