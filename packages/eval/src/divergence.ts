import type { ModelAdapter, UnlearnableModel } from '@unlearn/core';
import type * as tf from '@tensorflow/tfjs-core';
import type { Probabilities } from './predict.js';
import { predictProbabilities, type PredictOptions } from './predict.js';

function checkPair(p: Probabilities, q: Probabilities, what: string): void {
  if (p.n !== q.n || p.classes !== q.classes) {
    throw new RangeError(`${what}: outputs of shape [${p.n}, ${p.classes}] and [${q.n}, ${q.classes}] differ`);
  }
}

const xlogx_y = (a: number, b: number) => (a > 0 ? a * Math.log(a / b) : 0);

/**
 * Per-sample Jensen-Shannon divergence in nats: JS(p, q) = ½ KL(p ‖ m) + ½ KL(q ‖ m) with
 * m = (p + q)/2 and 0 · ln 0 = 0. Symmetric, 0 for equal outputs, at most ln 2.
 */
export function jsDivergences(p: Probabilities, q: Probabilities): Float64Array {
  checkPair(p, q, 'jsDivergence');
  const { n, classes } = p;
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let js = 0;
    for (let k = 0; k < classes; k++) {
      const a = p.values[i * classes + k]!;
      const b = q.values[i * classes + k]!;
      const m = (a + b) / 2;
      js += 0.5 * xlogx_y(a, m) + 0.5 * xlogx_y(b, m);
    }
    out[i] = Math.max(0, js);
  }
  return out;
}

/**
 * Per-sample L2 distance between output distributions, ‖p − q‖₂ (in [0, √2]).
 */
export function activationDistances(p: Probabilities, q: Probabilities): Float64Array {
  checkPair(p, q, 'activationDistance');
  const { n, classes } = p;
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let sq = 0;
    for (let k = 0; k < classes; k++) {
      const d = p.values[i * classes + k]! - q.values[i * classes + k]!;
      sq += d * d;
    }
    out[i] = Math.sqrt(sq);
  }
  return out;
}

export function mean(values: ArrayLike<number>): number {
  if (values.length === 0) return Number.NaN;
  let sum = 0;
  for (let i = 0; i < values.length; i++) sum += values[i]!;
  return sum / values.length;
}

async function pairOn(a: UnlearnableModel | ModelAdapter, b: UnlearnableModel | ModelAdapter, x: tf.Tensor, options: PredictOptions) {
  return [await predictProbabilities(a, x, options), await predictProbabilities(b, x, options)] as const;
}

/**
 * Distance to the retrained model: mean Jensen-Shannon divergence (natural log) between the two
 * models' softmax outputs over the given samples (the forget set in benchmarks),
 * (1/n) Σᵢ JS(p_model(xᵢ), p_retrained(xᵢ)), in [0, ln 2]. Lower is better: 0 means the
 * unlearned model answers on Df exactly as a model that never saw it.
 */
export async function jsToRetrained(
  model: UnlearnableModel | ModelAdapter,
  retrained: UnlearnableModel | ModelAdapter,
  data: { x: tf.Tensor },
  options: PredictOptions = {},
): Promise<number> {
  const [p, q] = await pairOn(model, retrained, data.x, options);
  return mean(jsDivergences(p, q));
}

/**
 * Activation distance to the retrained model: (1/n) Σᵢ ‖p_model(xᵢ) − p_retrained(xᵢ)‖₂ over
 * the softmax outputs, in [0, √2]. Lower is better.
 */
export async function activationDistance(
  model: UnlearnableModel | ModelAdapter,
  retrained: UnlearnableModel | ModelAdapter,
  data: { x: tf.Tensor },
  options: PredictOptions = {},
): Promise<number> {
  const [p, q] = await pairOn(model, retrained, data.x, options);
  return mean(activationDistances(p, q));
}
