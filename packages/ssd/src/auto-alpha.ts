import type * as tf from '@tensorflow/tfjs-core';
import { UnlearnError } from '@unlearn/core';

/** What `alpha: 'auto'` chose, for the run's details. */
export interface AutoAlpha {
  alpha: number;
  /** The percentile of the pooled ratios α was read at. */
  percentile: number;
  /** Parameters whose ratio I_forget / I_train was finite (I_train > 0), out of `parameters`. */
  finiteRatios: number;
  parameters: number;
  forgetSize: number;
  trainSize: number;
}

/** Adaptive SSD's percentile: 100 − ln(1 + 100·|Df| / |D|), where D = Dr ∪ Df is the training set. */
export function autoAlphaPercentile(forgetSize: number, trainSize: number): number {
  return 100 - Math.log(1 + (100 * forgetSize) / trainSize);
}

/** The p-th percentile of sorted values, interpolating linearly between neighbours (NumPy's and torch.quantile's default). */
function percentileOfSorted(sorted: Float64Array, p: number): number {
  const h = (p / 100) * (sorted.length - 1);
  const lo = Math.floor(h);
  const hi = Math.min(lo + 1, sorted.length - 1);
  return sorted[lo]! + (h - lo) * (sorted[hi]! - sorted[lo]!);
}

/**
 * Adaptive SSD's parameter-free α (Schoepf et al., arXiv 2402.10098; docs/algorithms/ssd.md):
 * the percentile `autoAlphaPercentile(|Df|, |D|)` of the ratios I_forget / I_train pooled over
 * the eligible parameters, finite ratios only. A small forget set gives a high percentile, so
 * only the parameters most specific to it are selected.
 */
export async function autoAlpha(
  method: string,
  impTrain: readonly tf.Tensor[],
  impForget: readonly tf.Tensor[],
  eligible: readonly boolean[],
  forgetSize: number,
  trainSize: number,
): Promise<AutoAlpha> {
  const ratios: number[] = [];
  let parameters = 0;
  for (let i = 0; i < impTrain.length; i++) {
    if (!eligible[i]) continue;
    const [d, f] = await Promise.all([impTrain[i]!.data(), impForget[i]!.data()]);
    parameters += d.length;
    for (let j = 0; j < d.length; j++) {
      const r = f[j]! / d[j]!;
      if (Number.isFinite(r)) ratios.push(r);
    }
  }
  if (ratios.length === 0) {
    throw new UnlearnError('INVALID_OPTION', `${method}: alpha 'auto' needs a parameter with a training-set importance above 0; none has one`);
  }
  const sorted = Float64Array.from(ratios).sort();
  const percentile = autoAlphaPercentile(forgetSize, trainSize);
  return { alpha: percentileOfSorted(sorted, percentile), percentile, finiteRatios: sorted.length, parameters, forgetSize, trainSize };
}
