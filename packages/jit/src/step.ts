import * as tf from '@tensorflow/tfjs-core';
import { gradientsOf, type ModelAdapter } from '@unlearn/core';
import type { NoiseProvider } from './noise.js';
import { chunkRows } from './options.js';

export interface JitStepConfig {
  sigma: number;
  nSamples: number;
  chunkSize: number | 'auto';
  training: boolean;
  noise: NoiseProvider;
  batchIndex: number;
}

/** The N noisy outputs of one batch and their input distances, row r = draw·b + i. */
interface NoisyOutputs {
  /** [N, b, C] */
  outputs: tf.Tensor;
  /** 1 / a per draw and row, 0 where a = 0: [N, b]. */
  invDistance: tf.Tensor;
}

/**
 * The JiT loss of one forget batch and its gradient with respect to `variables`:
 *
 *   L = (1/N) Σ_n Σ_i ‖f(X_i) − f(X'_{n,i})‖₂ / ‖X_i − X'_{n,i}‖₂,
 *   X'_n = clamp(X + σ ε_n, min X, max X)   (scalar min/max of the whole batch).
 *
 * The noisy outputs are constants (no gradient flows through them), so they are computed
 * first, off the gradient tape, and only f(X) is differentiated: one forward with gradient
 * and one backward pass per batch whatever N is.
 */
export async function jitLossAndGradients(
  model: ModelAdapter,
  x: tf.Tensor,
  variables: readonly tf.Variable[],
  config: JitStepConfig,
): Promise<{ loss: tf.Scalar; grads: tf.Tensor[] }> {
  const noisy = await noisyOutputs(model, x, config);
  try {
    return tf.tidy(() => {
      const head = lipschitzHead(noisy, config.nSamples);
      const { value, grads } = gradientsOf(() => head(model.logits(x, { training: config.training })), variables);
      return { loss: value, grads };
    });
  } finally {
    noisy.outputs.dispose();
    noisy.invDistance.dispose();
  }
}

/**
 * Evaluates f on the N noisy copies of the batch, `chunkSize` rows per forward at most.
 * A chunk is several whole draws (X broadcast against their noise: no tiled copy of X is
 * made) or, when one draw alone exceeds the chunk size, a slice of one draw's rows.
 */
async function noisyOutputs(model: ModelAdapter, x: tf.Tensor, config: JitStepConfig): Promise<NoisyOutputs> {
  const { sigma, nSamples, chunkSize, training } = config;
  const rows = x.shape[0];
  const sampleShape = x.shape.slice(1);
  const range = tf.tidy(() => tf.stack([tf.min(x), tf.max(x)]));
  const [lo, hi] = (await range.data()) as unknown as [number, number];
  range.dispose();

  // In training mode each draw gets its own forward, as in the reference, so that layers
  // with batch statistics see one noisy copy of the batch at a time.
  const limit = chunkRows(chunkSize, x.size / rows);
  const drawsPerChunk = training ? 1 : Math.max(1, Math.floor(limit / rows));
  const rowsPerChunk = Math.min(rows, limit);
  const outputs: tf.Tensor[] = [];
  const distances: tf.Tensor[] = [];
  try {
    for (let n0 = 0; n0 < nSamples; n0 += drawsPerChunk) {
      const n1 = Math.min(nSamples, n0 + drawsPerChunk);
      for (let i0 = 0; i0 < rows; i0 += rowsPerChunk) {
        const i1 = Math.min(rows, i0 + rowsPerChunk);
        const count = (n1 - n0) * (i1 - i0);
        const [out, dist] = tf.tidy(() => {
          const noise = config.noise({ batchIndex: config.batchIndex, n0, n1, i0, i1, rows, sampleShape }, sigma);
          const clean = tf.expandDims(i0 === 0 && i1 === rows ? x : tf.slice(x, i0, i1 - i0), 0);
          const noisy = tf.clipByValue(tf.add(clean, noise), lo, hi);
          const squared = tf.reshape(tf.squaredDifference(clean, noisy), [count, -1]);
          return [model.logits(tf.reshape(noisy, [count, ...sampleShape]), { training }), tf.sqrt(tf.sum(squared, 1))];
        });
        outputs.push(out!);
        distances.push(dist!);
      }
    }
    return tf.tidy(() => {
      const out = outputs.length === 1 ? outputs[0]! : tf.concat(outputs, 0);
      const a = distances.length === 1 ? distances[0]! : tf.concat(distances, 0);
      const positive = tf.greater(a, 0);
      const inverse = tf.where(positive, tf.reciprocal(tf.where(positive, a, tf.onesLike(a))), tf.zerosLike(a));
      return { outputs: tf.reshape(out, [nSamples, rows, -1]), invDistance: tf.reshape(inverse, [nSamples, rows]) };
    });
  } finally {
    tf.dispose(outputs);
    tf.dispose(distances);
  }
}

/**
 * loss(out) = (1/N) Σ_n Σ_i b_{n,i} / a_{n,i} with b = ‖out_i − out'_{n,i}‖₂, with its gradient
 * written out: ∂loss/∂out_i = (1/N) Σ_n (out_i − out'_{n,i}) / (b_{n,i} a_{n,i}). A term with
 * a = 0 counts 0; where b = 0 the norm's derivative is taken as 0 (as PyTorch does), so a
 * constant batch (X' = X) gives loss 0 and a zero gradient instead of NaN.
 */
function lipschitzHead(noisy: NoisyOutputs, nSamples: number): (out: tf.Tensor) => tf.Scalar {
  // tfjs types the arguments of a custom-gradient function as one union.
  return tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const out = args[0] as tf.Tensor;
    const save = args[1] as tf.GradSaveFunc;
    const diff = tf.sub(tf.expandDims(out, 0), noisy.outputs);
    const squared = tf.sum(tf.square(diff), 2);
    const positive = tf.greater(squared, 0);
    const b = tf.where(positive, tf.sqrt(tf.where(positive, squared, tf.onesLike(squared))), tf.zerosLike(squared));
    const value = tf.div(tf.sum(tf.mul(b, noisy.invDistance)), nSamples) as tf.Scalar;
    const weight = tf.div(tf.where(positive, tf.div(noisy.invDistance, tf.where(positive, b, tf.onesLike(b))), tf.zerosLike(b)), nSamples);
    save([tf.sum(tf.mul(diff, tf.expandDims(weight, 2)), 0)]);
    return { value, gradFunc: (dy: tf.Scalar, saved: tf.Tensor[]) => tf.mul(dy, saved[0]!) };
  }) as (out: tf.Tensor) => tf.Scalar;
}
