import * as tf from '@tensorflow/tfjs-core';
import { abortPoint, gradientsOf, type ThreadPlan, type ModelAdapter } from '@unlearn/core';
import type { NoiseProvider } from './noise.js';
import { chunkRows } from './options.js';

export interface JitStepConfig {
  sigma: number;
  nSamples: number;
  chunkSize: number | 'auto';
  training: boolean;
  noise: NoiseProvider;
  batchIndex: number;
  /** Threads for the noisy forwards; `forward` is set when there are several. */
  parallel: ThreadPlan;
  signal?: AbortSignal;
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

/** Draws [n0, n1) of batch rows [i0, i1): the noisy rows of one forward pass. */
export interface NoiseBlock {
  n0: number;
  n1: number;
  i0: number;
  i1: number;
}

/**
 * The noisy rows of one batch as blocks of at most `limit` rows, in (draw, row) order, the order
 * the seeded noise is drawn in. A block is several whole draws (X broadcast against their noise:
 * no tiled copy of X is made) or, when one draw alone exceeds the limit, a slice of one draw's
 * rows. In training mode each draw is a block of its own, as in the reference, so that layers
 * with batch statistics see one noisy copy of the batch at a time. For several threads the
 * draws are spread so that the block count is a multiple of `threads` (equal rounds).
 */
export function noiseBlocks(nSamples: number, rows: number, limit: number, training: boolean, threads = 1): NoiseBlock[] {
  const fit = training || rows > limit ? 1 : Math.floor(limit / rows);
  const rowsPerBlock = Math.min(rows, limit);
  const out: NoiseBlock[] = [];
  for (const [n0, n1] of drawRuns(nSamples, fit, threads)) {
    for (let i0 = 0; i0 < rows; i0 += rowsPerBlock) out.push({ n0, n1, i0, i1: Math.min(rows, i0 + rowsPerBlock) });
  }
  return out;
}

/**
 * Runs [n0, n1) of at most `fit` draws: on one thread `fit` at a time, the last run shorter; on
 * several, a multiple of `threads` runs whose lengths differ by one at most, longer ones first.
 */
function drawRuns(nSamples: number, fit: number, threads: number): [number, number][] {
  const runs: [number, number][] = [];
  if (threads === 1 || fit === 1) {
    for (let n0 = 0; n0 < nSamples; n0 += fit) runs.push([n0, Math.min(nSamples, n0 + fit)]);
    return runs;
  }
  const count = Math.min(nSamples, Math.ceil(Math.ceil(nSamples / fit) / threads) * threads);
  const base = Math.floor(nSamples / count);
  const extra = nSamples % count;
  for (let g = 0, n0 = 0; g < count; g++) {
    const n1 = n0 + base + (g < extra ? 1 : 0);
    runs.push([n0, n1]);
    n0 = n1;
  }
  return runs;
}

/**
 * Evaluates f on the N noisy copies of the batch, block by block (`noiseBlocks`). With several
 * threads the blocks go in rounds of one per thread: the first ones of a round are posted to the
 * worker threads and the calling thread computes the last. At most two rounds are out at once,
 * which bounds memory as the chunk size does on one thread.
 */
async function noisyOutputs(model: ModelAdapter, x: tf.Tensor, config: JitStepConfig): Promise<NoisyOutputs> {
  const { sigma, nSamples, chunkSize, training } = config;
  const rows = x.shape[0]!;
  const sampleShape = x.shape.slice(1);
  const range = tf.tidy(() => tf.stack([tf.min(x), tf.max(x)]));
  const [lo, hi] = (await range.data()) as unknown as [number, number];
  range.dispose();

  const session = config.parallel.session?.();
  const threads = session ? config.parallel.threads : 1;
  const limit = chunkRows(chunkSize, x.size / rows);
  const blocks = noiseBlocks(nSamples, rows, limit, training, threads);
  /** The noisy rows of block b and their distances to the clean ones. */
  const noisyRows = ({ n0, n1, i0, i1 }: NoiseBlock) =>
    tf.tidy(() => {
      const count = (n1 - n0) * (i1 - i0);
      const noise = config.noise({ batchIndex: config.batchIndex, n0, n1, i0, i1, rows, sampleShape }, sigma);
      const clean = tf.expandDims(i0 === 0 && i1 === rows ? x : tf.slice(x, i0, i1 - i0), 0);
      const noisy = tf.clipByValue(tf.add(clean, noise), lo, hi);
      const squared = tf.reshape(tf.squaredDifference(clean, noisy), [count, -1]);
      return { input: tf.reshape(noisy, [count, ...sampleShape]), distance: tf.sqrt(tf.sum(squared, 1)) };
    });

  type Posted = { collect(): Promise<tf.Tensor> } | undefined;
  /** Draws and posts the noise of a round's leading blocks; their distances join `distances`. */
  const post = async (round: NoiseBlock[]): Promise<Posted> => {
    if (round.length === 0) return undefined;
    const parts = round.map(noisyRows);
    distances.push(...parts.map((p) => p.distance));
    const input = tf.concat(parts.map((p) => p.input), 0);
    tf.dispose(parts.map((p) => p.input));
    return session!.dispatch(input, { output: 'logits', chunkRows: limit, signal: config.signal }).finally(() => input.dispose());
  };
  const rounds: NoiseBlock[][] = [];
  for (let r = 0; r < blocks.length; r += threads) rounds.push(blocks.slice(r, r + threads));

  const outputs: tf.Tensor[] = [];
  const distances: tf.Tensor[] = [];
  /** Rounds out on the workers, oldest first. */
  const outstanding: Posted[] = [];
  try {
    outstanding.push(await post(rounds[0]!.slice(0, -1)));
    for (let r = 0; r < rounds.length; r++) {
      // A batch is seconds of forwards on a large model: stop between chunks, not only between batches.
      await abortPoint(config.signal);
      // The noise is drawn in block order (the run's stream), but the next round's posted blocks
      // are sent before this thread computes its own, so that the workers never wait for it.
      const { input, distance } = noisyRows(rounds[r]!.at(-1)!);
      distances.push(distance);
      let here: tf.Tensor;
      try {
        if (r + 1 < rounds.length) outstanding.push(await post(rounds[r + 1]!.slice(0, -1)));
        here = tf.tidy(() => model.logits(input, { training }));
      } finally {
        input.dispose();
      }
      try {
        const there = await outstanding.shift()?.collect();
        if (there) outputs.push(there);
      } finally {
        outputs.push(here);
      }
    }
    return tf.tidy(() => {
      const out = outputs.length === 1 ? outputs[0]! : tf.concat(outputs, 0);
      const a = distances.length === 1 ? distances[0]! : tf.concat(distances, 0);
      const positive = tf.greater(a, 0);
      const inverse = tf.where(positive, tf.reciprocal(tf.where(positive, a, tf.onesLike(a))), tf.zerosLike(a));
      return { outputs: tf.reshape(out, [nSamples, rows, -1]), invDistance: tf.reshape(inverse, [nSamples, rows]) };
    });
  } catch (error) {
    // Wait for rows still out on workers, so that the workers return to the pool.
    for (const round of outstanding) {
      await round?.collect().then(
        (t) => t.dispose(),
        () => undefined,
      );
    }
    throw error;
  } finally {
    session?.close();
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
