import { readFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import type { JitNoise } from '../src/index.js';

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
  return JSON.parse(readFileSync(new URL(`./fixtures/${name}.json`, import.meta.url), 'utf8')) as JitFixture;
}

/** The fixture's architecture (logits, no softmax) with the fixture's weights. */
export function fixtureModel(f: JitFixture): LayersModel {
  const layers =
    f.model === 'mlp'
      ? [tfl.layers.dense({ inputShape: f.inputShape, units: 5, activation: 'relu' }), tfl.layers.dense({ units: 3 })]
      : [
          tfl.layers.conv2d({ inputShape: f.inputShape, filters: 2, kernelSize: 3, padding: 'valid', activation: 'relu' }),
          tfl.layers.flatten(),
          tfl.layers.dense({ units: 3 }),
        ];
  const model = tfl.sequential({ layers });
  const values = f.weights.map((w) => tf.tensor(w.values, w.shape, 'float32'));
  model.setWeights(values);
  tf.dispose(values);
  return model;
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

/** ‖a − b‖₂ / ‖b‖₂ over flat arrays. */
export function relativeError(actual: ArrayLike<number>, expected: ArrayLike<number>): number {
  let diff = 0;
  let base = 0;
  for (let i = 0; i < expected.length; i++) {
    diff += (actual[i]! - expected[i]!) ** 2;
    base += expected[i]! ** 2;
  }
  return Math.sqrt(diff) / Math.sqrt(base);
}
