import * as tf from '@tensorflow/tfjs-core';
import { isUnlearnError, selectBackend, unlearn, type BackendName } from '@unlearn/core';
import { buildMnistCnn } from '@unlearn/mnist-fixture';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jit } from '../src/index.js';

// The MNIST CNN on wasm, as users run it: the cpu backend takes seconds per backward pass of this
// model, so one unit of work there would be longer than the bound itself.
let previous: BackendName;
let model: LayersModel;
let x: tf.Tensor;
beforeAll(async () => {
  previous = tf.getBackend() as BackendName;
  await selectBackend({ backend: 'wasm' });
  model = buildMnistCnn(1);
  x = tf.randomUniform([512, 28, 28, 1], 0, 1, 'float32', 7);
  // The first forward and backward on wasm set kernels up; time the steady state.
  const warm = tf.slice(x, 0, 8);
  (await unlearn(model, { forget: { x: warm } }, jit({ preset: 'mnist-cnn', batchSize: 8, nSamples: 2, threads: 1 }))).model.dispose();
  warm.dispose();
});
afterAll(async () => {
  model.dispose();
  x.dispose();
  await selectBackend({ backend: previous });
});

describe('abort latency on the MNIST CNN', () => {
  it('[fault] a timer abort due in the middle of a JiT batch on the MNIST CNN → ABORTED within 250 ms (or three chunks on a loaded machine); no chunk drawn after the abort', async () => {
    // When each chunk's noise is drawn, per batch: a chunk's forward pass follows its draws.
    const draws: { batch: number; at: number }[] = [];
    const noise = (batch: number, draw: number, shape: number[]) => {
      draws.push({ batch, at: performance.now() });
      return tf.randomNormal(shape, 0, 1, 'float32', draw);
    };
    // 8 batches of 32 rows x 60 draws in chunks of 64 rows (2 draws): 30 chunks per batch, so a
    // check only between batches would leave an abort waiting for most of a batch.
    const method = jit({ preset: 'mnist-cnn', batchSize: 32, nSamples: 60, chunkSize: 64, threads: 1, noise });
    const controller = new AbortController();
    const abortAfterMs = 100;
    let due = Number.NaN;
    let abortedAt = Number.NaN;
    // The timer starts when the first batch is done, so that it falls due among the second batch's chunks.
    const onProgress = () => {
      if (!Number.isNaN(due)) return;
      due = performance.now() + abortAfterMs;
      setTimeout(() => {
        abortedAt = performance.now();
        controller.abort(new Error('timeout'));
      }, abortAfterMs);
    };
    const error = await unlearn(model, { forget: { x } }, method, { signal: controller.signal, onProgress }).catch((e: unknown) => e);
    const rejectedAt = performance.now();

    expect(isUnlearnError(error, 'ABORTED'), `expected ABORTED, got ${String(error)}`).toBe(true);
    // No chunk's noise is drawn once the abort has fired, and the run stopped inside the second batch.
    expect(draws.filter((d) => d.at > abortedAt)).toEqual([]);
    expect(Math.max(...draws.map((d) => d.batch))).toBeLessThanOrEqual(1);
    expect(draws.filter((d) => d.batch === 1).length).toBeLessThan(60);
    // From when the timer was due to the rejection: 250 ms, or on a loaded machine three of this
    // run's slowest chunks (the time between two chunks' draws within a batch).
    const chunkTimes = draws.slice(1).flatMap((d, i) => (d.batch === draws[i]!.batch && d.at - draws[i]!.at > 0.5 ? [d.at - draws[i]!.at] : []));
    const slowestChunk = Math.max(0, ...chunkTimes);
    const latency = rejectedAt - due;
    expect(latency, `latency ${latency.toFixed(0)} ms, slowest chunk ${slowestChunk.toFixed(0)} ms`).toBeLessThan(Math.max(250, 3 * slowestChunk));
  });
});
