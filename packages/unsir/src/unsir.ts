import type { Unlearner } from '@unlearn/core';
import type { UnsirDetails } from './details.js';
import { createUnsir } from './method.js';
import type { UnsirOptions } from './options.js';

/**
 * UNSIR (Tarun et al., "Fast Yet Effective Machine Unlearning", IEEE TNNLS 2023;
 * docs/algorithms/unsir.md): for each forgotten class, noise that maximises the model's loss on
 * that class; one impair epoch on the noise (labelled with the class) mixed with a sample of the
 * retain set, then one repair epoch on the sample alone. Class forgetting only: a forget set
 * whose classes also appear in the retain set is refused with UNSUPPORTED_REQUEST. Needs labels
 * on the forget and retain sets.
 */
export function unsir(options: Partial<UnsirOptions> = {}): Unlearner<UnsirOptions, UnsirDetails> {
  return createUnsir(options);
}
