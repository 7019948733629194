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
  source: string;
  model: 'mlp' | 'cnn';
  inputShape: number[];
  weights: FixtureTensor[];
  forget: { x: { shape: number[]; values: number[] }; y: number[] | null };
  train: { x: { shape: number[]; values: number[] }; y: number[] | null };
  batchSize: number;
  expected: DampenCase['expected'] & { importanceForget: FixtureTensor[]; importanceTrain: FixtureTensor[] };
  extraCases: DampenCase[];
}

export function dataset(part: GoldenFixture['forget'], labels: boolean): { x: tf.Tensor; y?: tf.Tensor1D } {
  const x = tf.tensor(part.x.values, part.x.shape, 'float32');
  return labels && part.y ? { x, y: tf.tensor1d(part.y, 'int32') } : { x };
}


export const readFixture = (url: URL): GoldenFixture => read<GoldenFixture>(url);

/** The fixture's architecture (scripts/golden/README.md "Models"), logits out, with its weights. */
export const buildModel = fixtureModel;
