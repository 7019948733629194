import * as tf from '@tensorflow/tfjs-core';
import { createRng, gaussianNoise, sgdStep, toModelAdapter, type ModelAdapter } from '@unlearn/core';
import { buildMnistCnn, buildMnistMlp } from '@unlearn/mnist-fixture';
import { seededNoise, type NoiseProvider } from '../src/noise.js';
import { jitLossAndGradients } from '../src/step.js';

/** The setting of scripts/torch/bench.py: batch 64, N = 25, sigma 0.1, lr 1e-3, inputs U(0, 1). */
export const BATCH = 64;
export const N_SAMPLES = 25;
export const SIGMA = 0.1;
export const LR = 1e-3;

export interface Workload {
  name: string;
  model: ModelAdapter;
  x: tf.Tensor;
  dispose(): void;
}

export function workloads(): Workload[] {
  const make = (name: string, model: ModelAdapter, seed: number): Workload => {
    const x = tf.tidy(() => tf.randomUniform([BATCH, 28, 28, 1], 0, 1, 'float32', seed));
    return { name, model, x, dispose: () => (model.dispose(), x.dispose()) };
  };
  return [
    make('CNN c16-p-c32-p-d128-d10', toModelAdapter(buildMnistCnn(1)), 11),
    make('MLP 784-256-128-10', toModelAdapter(buildMnistMlp(1)), 12),
  ];
}

/** Box-Muller through the core's `gaussianNoise` (`Rng.normal`), to show what the ziggurat saves. */
function boxMullerNoise(seed: number): NoiseProvider {
  const rng = createRng(seed);
  return ({ n0, n1, i0, i1, sampleShape }, sigma) => gaussianNoise([n1 - n0, i1 - i0, ...sampleShape], rng, sigma);
}

export interface Variant {
  name: string;
  chunkSize: number | 'auto';
  noise: (seed: number) => NoiseProvider;
}

const seeded = (seed: number) => seededNoise(createRng(seed));

export const VARIANTS: Variant[] = [
  { name: "chunked: 10 draws (640 rows) per forward (chunkSize 'auto', the default)", chunkSize: 'auto', noise: seeded },
  { name: 'batched: all 25 draws in one forward of 1,600 rows (chunkSize 1600)', chunkSize: 1600, noise: seeded },
  { name: 'loop: one draw (64 rows) per forward (chunkSize 64)', chunkSize: 64, noise: seeded },
  { name: "default chunks, Box-Muller noise (core gaussianNoise) instead of the ziggurat", chunkSize: 'auto', noise: boxMullerNoise },
];

/** One full JiT step as the library runs it: noisy forwards, loss, backward, SGD update. */
export function stepper(w: Workload, v: Variant): () => Promise<void> {
  const variables = w.model.trainable.map((t) => t.variable);
  const noise = v.noise(7);
  return async () => {
    const { loss, grads } = await jitLossAndGradients(w.model, w.x, variables, {
      sigma: SIGMA,
      nSamples: N_SAMPLES,
      chunkSize: v.chunkSize,
      training: false,
      noise,
      batchIndex: 0,
      parallel: { threads: 1 },
    });
    sgdStep(variables, grads, LR);
    tf.dispose(grads);
    await loss.data();
    loss.dispose();
  };
}

export function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}
