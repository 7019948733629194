import { readFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import type { LayersModel } from '@tensorflow/tfjs-layers';

/** A tensor as scripts/golden/make_fixtures.py writes it: tfjs layout, flat row-major. */
export interface FixtureTensor {
  name: string;
  shape: number[];
  values: number[];
}

export interface DampenCase {
  alpha: number;
  lambda: number;
  exponent: number;
  cap: number;
  expected: { selected: FixtureTensor[]; weights: FixtureTensor[] };
}

export interface GoldenFixture extends Omit<DampenCase, 'expected'> {
  model: 'mlp' | 'cnn';
  inputShape: number[];
  weights: FixtureTensor[];
  forget: { x: { shape: number[]; values: number[] }; y: null };
  train: { x: { shape: number[]; values: number[] }; y: null };
  batchSize: number;
  expected: DampenCase['expected'] & { importanceForget: FixtureTensor[]; importanceTrain: FixtureTensor[] };
  extraCases: DampenCase[];
}

export function readFixture(url: URL): GoldenFixture {
  return JSON.parse(readFileSync(url, 'utf8')) as GoldenFixture;
}

/** The fixture's architecture (scripts/golden/README.md "Models"), logits out, with its weights. */
export function buildModel(f: GoldenFixture): LayersModel {
  const layers =
    f.model === 'mlp'
      ? [tfl.layers.dense({ inputShape: f.inputShape, units: 5, activation: 'relu' }), tfl.layers.dense({ units: 3 })]
      : [
          tfl.layers.conv2d({ inputShape: f.inputShape, filters: 2, kernelSize: 3, padding: 'valid', activation: 'relu' }),
          tfl.layers.flatten(),
          tfl.layers.dense({ units: 3 }),
        ];
  const model = tfl.sequential({ layers });
  const weights = f.weights.map((w) => tf.tensor(w.values, w.shape, 'float32'));
  model.setWeights(weights);
  tf.dispose(weights);
  return model;
}

export const inputs = (part: GoldenFixture['forget']) => ({ x: tf.tensor(part.x.values, part.x.shape, 'float32') });

/** Elementwise |got − want| ≤ tol·|want|. */
export function expectClose(got: ArrayLike<number>, want: FixtureTensor, tol: number, what: string): void {
  if (got.length !== want.values.length) throw new Error(`${what} ${want.name}: ${got.length} values, want ${want.values.length}`);
  for (let i = 0; i < want.values.length; i++) {
    const w = want.values[i]!;
    const err = Math.abs((got[i] as number) - w);
    const bound = tol * Math.max(Math.abs(w), 1e-12);
    if (!(err <= bound)) throw new Error(`${what} ${want.name}[${i}]: got ${got[i]}, want ${w} (|err| ${err.toExponential(2)} > ${bound.toExponential(2)})`);
  }
}
