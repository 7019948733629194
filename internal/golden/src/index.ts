import { readFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import type { LayersModel } from '@tensorflow/tfjs-layers';

/** A tensor as scripts/golden/make_fixtures.py writes it: tfjs layout, flat row-major values. */
export interface FixtureTensor {
  name?: string;
  shape: number[];
  values: number[];
}

/** What every fixture says about its model (scripts/golden/README.md, "Models"). */
export interface FixtureModelSpec {
  model: 'mlp' | 'cnn';
  inputShape: number[];
  weights: FixtureTensor[];
}

export function readFixture<T>(url: URL): T {
  return JSON.parse(readFileSync(url, 'utf8')) as T;
}

export function fixtureTensor(t: FixtureTensor): tf.Tensor {
  return tf.tensor(t.values, t.shape, 'float32');
}

/**
 * The fixture's architecture with its weights, logits out: MLP dense(5, relu) → dense(3);
 * CNN conv2d(2 filters, 3x3, valid, relu) → flatten (NHWC order) → dense(3).
 */
export function fixtureModel(f: FixtureModelSpec): LayersModel {
  const layers =
    f.model === 'mlp'
      ? [tfl.layers.dense({ inputShape: f.inputShape, units: 5, activation: 'relu' }), tfl.layers.dense({ units: 3 })]
      : [
          tfl.layers.conv2d({ inputShape: f.inputShape, filters: 2, kernelSize: 3, padding: 'valid', activation: 'relu' }),
          tfl.layers.flatten(),
          tfl.layers.dense({ units: 3 }),
        ];
  const model = tfl.sequential({ layers });
  const weights = f.weights.map(fixtureTensor);
  model.setWeights(weights);
  tf.dispose(weights);
  return model;
}

/** Throws unless every |got − want| ≤ tol · |want| (elementwise, relative). */
export function expectClose(got: ArrayLike<number>, want: FixtureTensor, tol: number, what: string): void {
  const label = `${what}${want.name ? ` ${want.name}` : ''}`;
  if (got.length !== want.values.length) throw new Error(`${label}: ${got.length} values, want ${want.values.length}`);
  for (let i = 0; i < want.values.length; i++) {
    const w = want.values[i]!;
    const err = Math.abs((got[i] as number) - w);
    const bound = tol * Math.max(Math.abs(w), 1e-12);
    if (!(err <= bound)) throw new Error(`${label}[${i}]: got ${got[i]}, want ${w} (|err| ${err.toExponential(2)} > ${bound.toExponential(2)})`);
  }
}

/**
 * Checks an `alpha: 'auto'` run against the fixture's `autoAlpha` case: the percentile, the
 * ratios counted, α (relative `tol`), the selected count and the dampened weights.
 */
export function expectAutoAlpha(details: Record<string, unknown>, weights: ArrayLike<number>[], want: DampeningFixture['autoAlpha'], tol: number): void {
  const got = details.autoAlpha as { alpha: number; percentile: number; finiteRatios: number; forgetSize: number; trainSize: number };
  const facts = (a: typeof got) => `${a.forgetSize}/${a.trainSize}/${a.finiteRatios}/${a.percentile.toFixed(10)}`;
  if (facts(got) !== facts(want)) throw new Error(`autoAlpha sizes/ratios/percentile: got ${facts(got)}, want ${facts(want)}`);
  if (!(Math.abs(got.alpha - want.alpha) <= tol * want.alpha)) throw new Error(`autoAlpha alpha: got ${got.alpha}, want ${want.alpha}`);
  const selected = want.expected.selected.reduce((n, s) => n + s.values.reduce((x, y) => x + y, 0), 0);
  if (details.selected !== selected) throw new Error(`autoAlpha selected: got ${String(details.selected)}, want ${selected}`);
  weights.forEach((w, i) => expectClose(w, want.expected.weights[i]!, tol, 'weights (alpha auto)'));
}

/** ‖a − b‖₂ / ‖b‖₂ over flat arrays. */
export function relativeError(actual: ArrayLike<number>, expected: ArrayLike<number>): number {
  let diff = 0;
  let base = 0;
  for (let i = 0; i < expected.length; i++) {
    diff += ((actual[i] as number) - (expected[i] as number)) ** 2;
    base += (expected[i] as number) ** 2;
  }
  return Math.sqrt(diff) / Math.sqrt(base);
}

/** One (α, λ, exponent, cap) case of an SSD/LF-SSD fixture and its expected outcome. */
export interface DampenCase {
  alpha: number;
  lambda: number;
  exponent: number;
  cap: number;
  expected: { selected: FixtureTensor[]; weights: FixtureTensor[] };
}

/** ssd-*.json and lf-ssd-*.json (scripts/golden/README.md); LF-SSD's labels are null. */
export interface DampeningFixture extends Omit<DampenCase, 'expected'>, FixtureModelSpec {
  source: string;
  forget: { x: FixtureTensor; y: number[] | null };
  train: { x: FixtureTensor; y: number[] | null };
  batchSize: number;
  expected: DampenCase['expected'] & { importanceForget: FixtureTensor[]; importanceTrain: FixtureTensor[] };
  extraCases: DampenCase[];
  /** Adaptive SSD's α from the pooled importance ratios, and the dampening it gives (scripts/golden/README.md). */
  autoAlpha: DampenCase & { forgetSize: number; trainSize: number; percentile: number; finiteRatios: number };
}

/** A fixture split as a dataset; labels only when asked for and present. */
export function fixtureDataset(part: DampeningFixture['forget'], labels: boolean): { x: tf.Tensor; y?: tf.Tensor1D } {
  const x = fixtureTensor(part.x);
  return labels && part.y ? { x, y: tf.tensor1d(part.y, 'int32') } : { x };
}
