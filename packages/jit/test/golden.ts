import * as tf from '@tensorflow/tfjs-core';
import { readFixture } from '@unlearn/golden';
import type { JitNoise } from '../src/index.js';

export { fixtureModel, relativeError } from '@unlearn/golden';

/** A flat row-major tensor in tfjs layout, as scripts/golden/make_fixtures.py writes them. */
export interface FlatTensor {
  shape: number[];
  values: number[];
}

export interface JitFixture {
  source: string;
  model: 'mlp' | 'cnn';
  inputShape: number[];
  weights: (FlatTensor & { name: string })[];
  forget: FlatTensor;
  batchSize: number;
  sigma: number;
  lr: number;
  nSamples: number;
  noise: FlatTensor[];
  expected: Record<'perBatch' | 'accumulated', { weights: (FlatTensor & { name: string })[]; losses: number[] }>;
}

export function loadFixture(name: string): JitFixture {
  return readFixture<JitFixture>(new URL(`./fixtures/${name}.json`, import.meta.url));
}

/** Feeds the fixture's ε (shape [N, b, ...inputShape] per batch) to jit's `noise` hook. */
export function fixtureNoise(f: JitFixture): JitNoise {
  return (batchIndex, draw, shape) => {
    const block = f.noise[batchIndex];
    if (!block) throw new Error(`the fixture has no noise for batch ${batchIndex}`);
    const size = shape.reduce((a, b) => a * b, 1);
    return tf.tensor(block.values.slice(draw * size, (draw + 1) * size), shape, 'float32');
  };
}

