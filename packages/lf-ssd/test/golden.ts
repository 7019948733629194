import * as tf from '@tensorflow/tfjs-core';
import { fixtureModel, readFixture as read, type FixtureTensor } from '@unlearn/golden';

export { expectClose } from '@unlearn/golden';
export type { FixtureTensor };

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

export const inputs = (part: GoldenFixture['forget']) => ({ x: tf.tensor(part.x.values, part.x.shape, 'float32') });


export const readFixture = (url: URL): GoldenFixture => read<GoldenFixture>(url);

/** The fixture's architecture (scripts/golden/README.md "Models"), logits out, with its weights. */
export const buildModel = fixtureModel;
