import * as tf from '@tensorflow/tfjs-core';
import { checkNotEmpty, UnlearnError } from '@unlearn/core';
import type { EvalData } from './data.js';
import { readLabels } from './data.js';

export type ScenarioKind = 'full-class' | 'sub-class' | 'random' | 'custom';
export type SplitName = 'forgetTrain' | 'retainTrain' | 'forgetTest' | 'retainTest' | 'test';

/** One split: which rows of the train or test set it holds, and those rows as tensors. */
export interface Split {
  /** The set the indices point into. */
  readonly from: 'train' | 'test';
  /** Sorted, distinct row indices into `from`. */
  readonly indices: Int32Array;
  readonly x: tf.Tensor;
  /** Target class indices (what the model predicts, e.g. the coarse label in sub-class forgetting). */
  readonly y: tf.Tensor1D;
  /** `y` as plain integers. */
  readonly labels: Int32Array;
}

/**
 * The five splits of the reference protocol (docs/evaluation.md, Scenarios). `forgetTrain` is the deletion
 * request Df and `retainTrain` is Dr = D \ Df; `test` is the whole test set, forget class included.
 */
export interface ScenarioSplits {
  readonly scenario: string;
  readonly seed: number;
  readonly forgetTrain: Split;
  readonly retainTrain: Split;
  readonly forgetTest: Split;
  readonly retainTest: Split;
  readonly test: Split;
  /** Frees the split tensors (the caller's train and test tensors are left alone). */
  dispose(): void;
}

/** Row indices for each split, before they are checked and gathered. */
export interface SplitIndices {
  forgetTrain: ArrayLike<number>;
  /** Defaults to every train row not in `forgetTrain`. */
  retainTrain?: ArrayLike<number>;
  forgetTest: { from: 'train' | 'test'; indices: ArrayLike<number> };
  retainTest: { from: 'train' | 'test'; indices: ArrayLike<number> };
}

export interface ScenarioLabels {
  train: Int32Array;
  test: Int32Array;
}

/** A way of choosing what to forget; `split` builds the splits for one seed. */
export interface Scenario {
  /** Short label used in reports, e.g. `full-class(3)`. */
  readonly name: string;
  readonly kind: ScenarioKind;
  /** JSON-safe parameters, recorded in reports and cache keys. */
  readonly params: Readonly<Record<string, unknown>>;
  /** Whether the chosen rows depend on the seed passed to `split`. */
  readonly seeded: boolean;
  /** Chooses rows from the labels; throws an UnlearnError for impossible requests. */
  indices(labels: ScenarioLabels, seed: number): SplitIndices;
  /** Checks the choice and gathers the rows into tensors. */
  split(data: EvalData, seed: number): Promise<ScenarioSplits>;
}

/** Builds a `Scenario` from its index rule; every scenario shares the checks and gathering. */
export function defineScenario(def: Omit<Scenario, 'split'>): Scenario {
  const scenario: Scenario = {
    ...def,
    async split(data, seed) {
      const labels = { train: await readLabels(data.train, 'train'), test: await readLabels(data.test, 'test') };
      const chosen = def.indices(labels, seed);
      return materialise(def.name, seed, data, labels, chosen);
    },
  };
  return scenario;
}

function checkIndices(what: string, indices: ArrayLike<number>, size: number): Int32Array {
  const out = Int32Array.from(indices);
  const seen = new Uint8Array(size);
  for (let i = 0; i < out.length; i++) {
    const v = out[i]!;
    if (!Number.isInteger(indices[i]) || v < 0 || v >= size) {
      throw new UnlearnError('INVALID_OPTION', `${what}: index ${String(indices[i])} is outside the set's rows 0..${size - 1}`);
    }
    if (seen[v]) throw new UnlearnError('INVALID_OPTION', `${what}: row ${v} is listed twice`);
    seen[v] = 1;
  }
  return out.sort();
}

function checkDisjoint(scenario: string, a: [string, Int32Array], b: [string, Int32Array], size: number): void {
  const mark = new Uint8Array(size);
  for (const v of a[1]) mark[v] = 1;
  const shared = b[1].filter((v) => mark[v] === 1);
  if (shared.length > 0) {
    const some = Array.from(shared.slice(0, 5)).join(', ');
    throw new UnlearnError(
      'INVALID_OPTION',
      `${scenario}: ${a[0]} and ${b[0]} overlap in ${shared.length} row(s) (${some}${shared.length > 5 ? ', ...' : ''}); a sample cannot be both forgotten and retained`,
    );
  }
}

function complement(size: number, taken: Int32Array): Int32Array {
  const mark = new Uint8Array(size);
  for (const v of taken) mark[v] = 1;
  const out = new Int32Array(size - taken.length);
  let k = 0;
  for (let i = 0; i < size; i++) if (!mark[i]) out[k++] = i;
  return out;
}

async function materialise(
  name: string,
  seed: number,
  data: EvalData,
  labels: ScenarioLabels,
  chosen: SplitIndices,
): Promise<ScenarioSplits> {
  const nTrain = labels.train.length;
  const nTest = labels.test.length;
  const sizeOf = (from: 'train' | 'test') => (from === 'train' ? nTrain : nTest);

  const forgetTrain = checkIndices(`${name}: forgetTrain`, chosen.forgetTrain, nTrain);
  checkNotEmpty(forgetTrain.length, { method: name, split: 'forgetTrain' });
  if (forgetTrain.length >= nTrain) {
    throw new UnlearnError(
      'INVALID_OPTION',
      `${name}: the forget set (${forgetTrain.length} samples) must be smaller than the training set (${nTrain}); nothing would be retained`,
    );
  }
  const retainTrain = chosen.retainTrain
    ? checkIndices(`${name}: retainTrain`, chosen.retainTrain, nTrain)
    : complement(nTrain, forgetTrain);
  checkDisjoint(name, ['forgetTrain', forgetTrain], ['retainTrain', retainTrain], nTrain);
  checkNotEmpty(retainTrain.length, { method: name, split: 'retainTrain' });

  const forgetTest = checkIndices(`${name}: forgetTest`, chosen.forgetTest.indices, sizeOf(chosen.forgetTest.from));
  const retainTest = checkIndices(`${name}: retainTest`, chosen.retainTest.indices, sizeOf(chosen.retainTest.from));
  checkNotEmpty(forgetTest.length, { method: name, split: 'forgetTest' });
  checkNotEmpty(retainTest.length, { method: name, split: 'retainTest' });
  if (chosen.forgetTest.from === chosen.retainTest.from) {
    checkDisjoint(name, ['forgetTest', forgetTest], ['retainTest', retainTest], sizeOf(chosen.forgetTest.from));
  }

  const built: tf.Tensor[] = [];
  const gather = (from: 'train' | 'test', indices: Int32Array): Split => {
    const source = from === 'train' ? data.train : data.test;
    const all = from === 'train' ? labels.train : labels.test;
    const picked = tf.tidy(() => {
      const idx = tf.tensor1d(indices, 'int32');
      return { x: tf.gather(source.x, idx), y: tf.tensor1d(Int32Array.from(indices, (i) => all[i]!), 'int32') };
    });
    built.push(picked.x, picked.y);
    return { from, indices, x: picked.x, y: picked.y, labels: Int32Array.from(indices, (i) => all[i]!) };
  };
  const everyTest = Int32Array.from({ length: nTest }, (_, i) => i);
  return {
    scenario: name,
    seed,
    forgetTrain: gather('train', forgetTrain),
    retainTrain: gather('train', retainTrain),
    forgetTest: gather(chosen.forgetTest.from, forgetTest),
    retainTest: gather(chosen.retainTest.from, retainTest),
    test: gather('test', everyTest),
    dispose: () => tf.dispose(built),
  };
}

/** Sorted class indices present in `labels`, for error messages. */
export function presentClasses(labels: Int32Array): number[] {
  return [...new Set(labels)].sort((a, b) => a - b);
}

export function describeClasses(classes: number[]): string {
  if (classes.length === 0) return 'none';
  const contiguous = classes.every((c, i) => c === classes[0]! + i);
  return contiguous && classes.length > 2 ? `${classes[0]}..${classes[classes.length - 1]}` : classes.join(', ');
}
