import * as tf from '@tensorflow/tfjs-core';
import { afterAll, describe, expect, it } from 'vitest';
import { customSplit, forgetCount, fullClass, randomSamples, subClass, type ScenarioSplits } from '../src/index.js';
import { expectUnlearnError } from './helpers.js';

// 30 train samples (labels 0,1,2 repeating) and 12 test samples; x encodes the row number so
// gathered tensors can be checked against the indices.
const trainLabels = Array.from({ length: 30 }, (_, i) => i % 3);
const testLabels = Array.from({ length: 12 }, (_, i) => i % 3);
const data = {
  train: { x: tf.tensor2d(trainLabels.map((_, i) => [i, -i])), y: tf.tensor1d(trainLabels, 'int32') },
  test: { x: tf.tensor2d(testLabels.map((_, i) => [100 + i, 0])), y: tf.tensor1d(testLabels, 'int32') },
};
afterAll(() => tf.dispose([data.train.x, data.train.y, data.test.x, data.test.y]));

function expectConsistent(s: ScenarioSplits): void {
  const forget = new Set(s.forgetTrain.indices);
  expect(s.retainTrain.indices.some((i) => forget.has(i))).toBe(false);
  expect(s.forgetTrain.indices.length + s.retainTrain.indices.length).toBe(30);
  expect(s.test.indices.length).toBe(12);
  for (const split of [s.forgetTrain, s.retainTrain, s.forgetTest, s.retainTest, s.test]) {
    const rows = split.x.arraySync() as number[][];
    const source = split.from === 'train' ? 0 : 100;
    expect(rows.map((r) => r[0])).toEqual(Array.from(split.indices, (i) => source + i));
    const labels = split.from === 'train' ? trainLabels : testLabels;
    expect(Array.from(split.labels)).toEqual(Array.from(split.indices, (i) => labels[i]));
    expect(Array.from(split.y.dataSync())).toEqual(Array.from(split.labels));
  }
}

describe('fullClass', () => {
  it('forgets every sample of the class in train and test', async () => {
    const s = await fullClass(1).split(data, 0);
    try {
      expect(Array.from(s.forgetTrain.indices)).toEqual([1, 4, 7, 10, 13, 16, 19, 22, 25, 28]);
      expect(s.retainTrain.indices.length).toBe(20);
      expect(Array.from(s.forgetTest.indices)).toEqual([1, 4, 7, 10]);
      expect(s.forgetTest.from).toBe('test');
      expect(Array.from(s.retainTest.indices)).toEqual([0, 2, 3, 5, 6, 8, 9, 11]);
      expect(s.retainTrain.labels.includes(1)).toBe(false);
      expectConsistent(s);
    } finally {
      s.dispose();
    }
  });

  it('does not depend on the seed and frees its tensors', async () => {
    const before = tf.memory().numTensors;
    const a = await fullClass(2).split(data, 1);
    const b = await fullClass(2).split(data, 99);
    expect(Array.from(a.forgetTrain.indices)).toEqual(Array.from(b.forgetTrain.indices));
    expect(fullClass(2).seeded).toBe(false);
    a.dispose();
    b.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('rejects a class that is not in the labels, naming the classes present', async () => {
    const err = await expectUnlearnError(fullClass(7).split(data, 0), 'LABEL_OUT_OF_RANGE', /class 7 does not exist.*0\.\.2/);
    expect(err).toMatchObject({ split: 'train', field: 'y' });
    await expectUnlearnError(() => fullClass(-1), 'INVALID_OPTION', /non-negative integer/);
    await expectUnlearnError(() => fullClass(1.5), 'INVALID_OPTION');
  });

  it('rejects a class with no test sample, naming the test labels', async () => {
    const noTwo = tf.tensor1d(testLabels.map((l) => (l === 2 ? 0 : l)), 'int32');
    try {
      const err = await expectUnlearnError(fullClass(2).split({ train: data.train, test: { x: data.test.x, y: noTwo } }, 0), 'EMPTY_DATASET', /no sample of class 2/);
      expect(err).toMatchObject({ split: 'test', field: 'y' });
    } finally {
      noTwo.dispose();
    }
  });
});

describe('randomSamples', () => {
  it('draws n distinct training samples, reproducibly per seed', async () => {
    const a = await randomSamples(7).split(data, 3);
    const b = await randomSamples(7).split(data, 3);
    const c = await randomSamples(7).split(data, 4);
    try {
      expect(a.forgetTrain.indices.length).toBe(7);
      expect(new Set(a.forgetTrain.indices).size).toBe(7);
      expect(Array.from(a.forgetTrain.indices)).toEqual(Array.from(b.forgetTrain.indices));
      expect(Array.from(a.forgetTrain.indices)).not.toEqual(Array.from(c.forgetTrain.indices));
      // As in the reference: forget-test is Df itself and retain-test the whole test set.
      expect(a.forgetTest.from).toBe('train');
      expect(Array.from(a.forgetTest.indices)).toEqual(Array.from(a.forgetTrain.indices));
      expect(a.retainTest.indices.length).toBe(12);
      expectConsistent(a);
    } finally {
      [a, b, c].forEach((s) => s.dispose());
    }
  });

  it('keeps the same draw for every run seed when given its own seed', async () => {
    const scenario = randomSamples(5, 11);
    expect(scenario.seeded).toBe(false);
    const a = await scenario.split(data, 1);
    const b = await scenario.split(data, 2);
    expect(Array.from(a.forgetTrain.indices)).toEqual(Array.from(b.forgetTrain.indices));
    a.dispose();
    b.dispose();
  });

  it('sizes fractions as torch random_split does', async () => {
    expect(forgetCount({ fraction: 0.00165 }, 50_000)).toBe(83);
    expect(forgetCount({ fraction: 0.1 }, 30)).toBe(3);
    expect(forgetCount({ fraction: 0.25 }, 30)).toBe(8);
    const s = await randomSamples({ fraction: 0.25 }).split(data, 0);
    expect(s.forgetTrain.indices.length).toBe(8);
    s.dispose();
  });

  it('rejects a forget set that is empty, the whole set or larger than the data', async () => {
    await expectUnlearnError(() => randomSamples(0), 'INVALID_OPTION', /positive integer/);
    await expectUnlearnError(() => randomSamples({ fraction: 1 }), 'INVALID_OPTION', /between 0 and 1/);
    await expectUnlearnError(randomSamples(31).split(data, 0), 'INVALID_OPTION', /cannot forget 31 samples from a training set of 30/);
    await expectUnlearnError(randomSamples(30).split(data, 0), 'INVALID_OPTION', /must be smaller than the training set/);
  });
});

describe('subClass', () => {
  // Fine classes 0..5 grouped into coarse classes {0,1,2} → 0 and {3,4,5} → 1 (as digits could be).
  const fineTrain = Array.from({ length: 30 }, (_, i) => i % 6);
  const fineTest = Array.from({ length: 12 }, (_, i) => i % 6);
  const coarseOf = [0, 0, 0, 1, 1, 1];
  const coarse = {
    train: { x: data.train.x, y: tf.tensor1d(fineTrain.map((f) => coarseOf[f]!), 'int32') },
    test: { x: data.test.x, y: tf.tensor1d(fineTest.map((f) => coarseOf[f]!), 'int32') },
  };
  afterAll(() => tf.dispose([coarse.train.y, coarse.test.y]));
  const options = { fineLabels: { train: fineTrain, test: fineTest }, coarseOf };

  it('forgets one fine class and scores forget-test on its coarse label', async () => {
    const s = await subClass(4, options).split(coarse, 0);
    try {
      expect(Array.from(s.forgetTrain.indices)).toEqual([4, 10, 16, 22, 28]);
      expect(Array.from(s.forgetTest.indices)).toEqual([4, 10]);
      expect(Array.from(s.forgetTest.labels)).toEqual([1, 1]);
      // The sibling fine classes 3 and 5 stay in Dr with the same coarse label.
      expect(Array.from(s.retainTrain.labels).filter((l) => l === 1).length).toBe(10);
      expect(s.retainTest.indices.length).toBe(10);
    } finally {
      s.dispose();
    }
  });

  it('accepts coarseOf as a function', async () => {
    const s = await subClass(0, { ...options, coarseOf: (f) => (f < 3 ? 0 : 1) }).split(coarse, 0);
    expect(s.forgetTrain.indices.length).toBe(5);
    s.dispose();
  });

  it('rejects a missing fine class, labels that disagree with coarseOf, and wrong lengths, naming the split', async () => {
    const absent = await expectUnlearnError(subClass(9, options).split(coarse, 0), 'LABEL_OUT_OF_RANGE', /fine class 9 does not exist/);
    expect(absent).toMatchObject({ split: 'train', field: 'fineLabels' });
    const disagree = await expectUnlearnError(subClass(1, { ...options, coarseOf: [0, 1, 0, 1, 1, 1] }).split(coarse, 0), 'MISMATCH', /sample 1 has fine label 1/);
    expect(disagree).toMatchObject({ split: 'train', field: 'fineLabels', index: 1 });
    const short = await expectUnlearnError(
      subClass(1, { ...options, fineLabels: { train: fineTrain.slice(1), test: fineTest } }).split(coarse, 0),
      'SHAPE_MISMATCH',
      /29 entries for 30 train samples/,
    );
    expect(short).toMatchObject({ split: 'train', field: 'fineLabels' });
  });

  it('rejects missing fine labels and a fine class with no test sample, naming the split', async () => {
    const missing = await expectUnlearnError(() => subClass(1, { coarseOf, fineLabels: { train: fineTrain } } as never), 'MISSING_LABELS', /fineLabels/);
    expect(missing).toMatchObject({ split: 'test', field: 'fineLabels' });
    // Fine class 5 only in train: its test samples relabelled to fine 4, the same coarse class.
    const noFive = { ...options, fineLabels: { train: fineTrain, test: fineTest.map((f) => (f === 5 ? 4 : f)) } };
    const empty = await expectUnlearnError(subClass(5, noFive).split(coarse, 0), 'EMPTY_DATASET', /no sample of fine class 5/);
    expect(empty).toMatchObject({ split: 'test', field: 'fineLabels' });
  });
});

describe('customSplit', () => {
  it('uses the given rows and the complement as the retain set', async () => {
    const s = await customSplit({ forget: [5, 2, 9] }).split(data, 0);
    expect(Array.from(s.forgetTrain.indices)).toEqual([2, 5, 9]);
    expect(s.retainTrain.indices.length).toBe(27);
    expectConsistent(s);
    s.dispose();
  });

  it('rejects overlapping, repeated, out-of-range and empty selections', async () => {
    await expectUnlearnError(customSplit({ forget: [1, 2, 3], retain: [3, 4, 2] }).split(data, 0), 'INVALID_OPTION', /overlap in 2 row\(s\) \(2, 3\)/);
    await expectUnlearnError(
      customSplit({ forget: [1], forgetTest: [0, 1], retainTest: [1, 2] }).split(data, 0),
      'INVALID_OPTION',
      /forgetTest and retainTest overlap/,
    );
    await expectUnlearnError(customSplit({ forget: [1, 1] }).split(data, 0), 'INVALID_OPTION', /row 1 is listed twice/);
    await expectUnlearnError(customSplit({ forget: [30] }).split(data, 0), 'INVALID_OPTION', /outside the set's rows 0\.\.29/);
    const empty = await expectUnlearnError(customSplit({ forget: [] }).split(data, 0), 'EMPTY_DATASET', /forgetTrain set is empty/);
    expect(empty).toMatchObject({ split: 'forgetTrain', field: 'x' });
  });

  it('names the empty split of a selection', async () => {
    const cases = [
      [{ forget: [1], retain: [] }, 'retainTrain'],
      [{ forget: [1], forgetTest: [] }, 'forgetTest'],
      [{ forget: [1], retainTest: [] }, 'retainTest'],
    ] as const;
    for (const [options, split] of cases) {
      const err = await expectUnlearnError(customSplit(options).split(data, 0), 'EMPTY_DATASET', new RegExp(`custom: the ${split} set is empty`));
      expect(err).toMatchObject({ split, field: 'x' });
    }
  });
});
