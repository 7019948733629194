import type { Probabilities } from './predict.js';

/**
 * Shannon entropy of each row, H(p) = −Σₖ pₖ ln pₖ in nats, with 0 · ln 0 = 0: the per-sample
 * feature of the membership-inference attack. It lies in [0, ln C]; confident outputs (typical
 * of training samples) have low entropy.
 */
export function entropies(probs: Probabilities): Float64Array {
  const { values, n, classes } = probs;
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let h = 0;
    for (let k = 0; k < classes; k++) {
      const p = values[i * classes + k]!;
      if (p > 0) h -= p * Math.log(p);
    }
    out[i] = h;
  }
  return out;
}
