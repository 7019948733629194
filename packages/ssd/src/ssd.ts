import type { Unlearner } from '@unlearn/core';
import type { SsdDetails } from './details.js';
import { dampeningUnlearner } from './method.js';
import { SSD_OPTIONS, type SsdOptions } from './options.js';

/**
 * Selective Synaptic Dampening (Foster et al., arXiv 2308.07707; docs/algorithms/ssd.md): dampens the
 * parameters far more important to the forget set than to the training set, by the diagonal
 * Fisher importance. Needs labels and the training set, or `request.importances` from
 * `computeImportances(model, train, { kind: 'fisher' })`.
 */
export function ssd(options: Partial<SsdOptions> = {}): Unlearner<SsdOptions, SsdDetails> {
  return dampeningUnlearner({ name: 'ssd', kind: 'fisher', labels: true, options: SSD_OPTIONS }, options);
}
