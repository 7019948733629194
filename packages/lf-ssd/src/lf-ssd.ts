import type { Unlearner } from '@unlearn/core';
import { dampeningUnlearner, LF_SSD_OPTIONS, type LfSsdDetails, type LfSsdOptions } from '@unlearn/ssd';

/**
 * Loss-free SSD (Foster et al., arXiv 2402.19308; docs/algorithms/lf-ssd.md): SSD's selection and
 * dampening with a label-free importance, the mean over batches of |∂ mean‖f(x)‖²₂ / ∂θ|.
 * Needs no labels; the training set, or `request.importances` from
 * `computeImportances(model, train, { kind: 'loss-free' })`.
 */
export function lfSsd(options: Partial<LfSsdOptions> = {}): Unlearner<LfSsdOptions, LfSsdDetails> {
  return dampeningUnlearner({ name: 'lf-ssd', kind: 'loss-free', labels: false, options: LF_SSD_OPTIONS }, options);
}
