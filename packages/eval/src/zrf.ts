import type { ModelAdapter, UnlearnableModel } from '@unlearn/core';
import type * as tf from '@tensorflow/tfjs-core';
import { jsDivergences, mean } from './divergence.js';
import type { Probabilities } from './predict.js';
import { predictProbabilities, type PredictOptions } from './predict.js';

/**
 * - `'js'` (default): 1 − (1/n) Σᵢ JS(pᵢ, rᵢ), the per-sample Jensen-Shannon divergence in nats,
 *   so ZRF ∈ [1 − ln 2, 1].
 * - `'reference'`: what R2's code computes with torch's `F.kl_div(log p, m)` (elementwise-mean
 *   reduction, KL(m ‖ p) argument order): 1 − (1/(n·C)) Σᵢ Σₖ ½ mᵢₖ(ln mᵢₖ − ln pᵢₖ) + ½ mᵢₖ(ln mᵢₖ − ln rᵢₖ).
 *   Dividing by the number of classes C squeezes it towards 1.
 */
export type ZrfReduction = 'js' | 'reference';

/** ZRF on precomputed outputs of the evaluated model (`p`) and of a randomly initialised one (`r`). */
export function zrfFromProbabilities(p: Probabilities, r: Probabilities, reduction: ZrfReduction = 'js'): number {
  if (reduction === 'js') return 1 - mean(jsDivergences(p, r));
  if (p.n !== r.n || p.classes !== r.classes) throw new RangeError('zrf: outputs of different shapes');
  const { n, classes } = p;
  if (n === 0) return Number.NaN;
  let total = 0;
  for (let j = 0; j < n * classes; j++) {
    const a = p.values[j]!;
    const b = r.values[j]!;
    const m = (a + b) / 2;
    // torch's kl_div gives 0 where the target m is 0 and +∞ where m > 0 but the input is 0.
    if (m > 0) total += 0.5 * m * (Math.log(m) - Math.log(a)) + 0.5 * m * (Math.log(m) - Math.log(b));
  }
  return 1 - total / (n * classes);
}

/**
 * Zero Retrain Forgetting score (R2; docs/evaluation.md, metrics table): how close the model's outputs on the
 * forget samples are to those of a randomly initialised copy of the architecture,
 * ZRF = 1 − (1/n) Σᵢ JS(p_model(xᵢ), p_random(xᵢ)) (natural log; see `ZrfReduction` for the
 * reference's variant). 1 means indistinguishable from a random network. Direction: closer to
 * the retrained model's value is better; a retrained model is not random on classes it still knows.
 */
export async function zrf(
  model: UnlearnableModel | ModelAdapter,
  randomModel: UnlearnableModel | ModelAdapter,
  data: { x: tf.Tensor },
  options: PredictOptions & { reduction?: ZrfReduction } = {},
): Promise<number> {
  const predict = { batchSize: options.batchSize, threads: options.threads };
  const p = await predictProbabilities(model, data.x, predict);
  const r = await predictProbabilities(randomModel, data.x, predict);
  return zrfFromProbabilities(p, r, options.reduction);
}
