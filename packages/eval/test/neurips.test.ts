import * as tf from '@tensorflow/tfjs-core';
import { tinyClassifier } from '@unlearn/core/testing';
import { describe, expect, it } from 'vitest';
import {
  accuracyFromProbabilities,
  logitScaledConfidence,
  NEURIPS_BUCKET_WIDTH,
  NEURIPS_DELTA,
  NEURIPS_EPSILON_CAP,
  NEURIPS_INTERVAL_BUFFER,
  NEURIPS_PEAKY_RATIO,
  NEURIPS_THRESHOLDS_PER_UNIT,
  neuripsFinalScore,
  neuripsForgetScore,
  neuripsMaxEpsilon,
  neuripsPoints,
  neuripsScore,
  predictProbabilities,
} from '../src/index.js';
import { linspace } from '../src/neurips-epsilon.js';
import { allClose, close, readGolden } from './golden.js';
import { expectUnlearnError, fitInPlace, toyProblem } from './helpers.js';

interface Case {
  name: string;
  delta: number;
  unlearned: number[][];
  retrained: number[][];
  epsilons: number[];
  source: string[];
  points: number[];
  maxEpsilon: number;
  forgetQuality: number;
  columns?: string[];
}

const fixture = readGolden<{
  constants: { delta: number; epsilonCap: number; thresholdsPerUnit: number; buffer: number; peakyRatio: number; bucketWidth: number };
  cases: Case[];
  finalScore: {
    forgetQuality: number;
    unlearned: { retain: number[]; test: number[] };
    retrained: { retain: number[]; test: number[] };
    score: number;
  };
  linspace: { start: number; stop: number; num: number; values: number[] }[];
}>('neurips-score.json');

describe('NeurIPS 2023 forgetting score against NumPy (neurips-score.json)', () => {
  it('uses the same constants', () => {
    expect(fixture.constants).toEqual({
      delta: NEURIPS_DELTA,
      epsilonCap: NEURIPS_EPSILON_CAP,
      thresholdsPerUnit: NEURIPS_THRESHOLDS_PER_UNIT,
      buffer: NEURIPS_INTERVAL_BUFFER,
      peakyRatio: NEURIPS_PEAKY_RATIO,
      bucketWidth: NEURIPS_BUCKET_WIDTH,
    });
    expect(fixture.cases.length).toBe(4);
  });

  it('builds threshold grids bit for bit like numpy.linspace', () => {
    for (const c of fixture.linspace) expect(Array.from(linspace(c.start, c.stop, c.num)), `${c.start}..${c.stop} (${c.num})`).toEqual(c.values);
  });

  for (const c of fixture.cases) {
    it(c.name, () => {
      const result = neuripsForgetScore(c.unlearned, c.retrained, { delta: c.delta });
      const label = (i: number) => c.columns?.[i] ?? `example ${i}`;
      c.epsilons.forEach((e, i) => close(result.epsilons[i]!, e, label(i)));
      expect(result.source).toEqual(c.source);
      // Points are powers of two picked by bucket: exact.
      expect(Array.from(result.points)).toEqual(c.points);
      expect(result.maxEpsilon).toBe(c.maxEpsilon);
      close(result.forgetQuality, c.forgetQuality, 'F', 1e-12);
    });
  }

  it('covers every branch: thresholds, the peaky cap, perfect separation and no surviving threshold', () => {
    const sources = new Set(fixture.cases.flatMap((c) => c.source));
    expect([...sources].sort()).toEqual(['no-threshold', 'peaky', 'thresholds']);
    const capped = fixture.cases.flatMap((c) => c.epsilons.filter((e, i) => e === NEURIPS_EPSILON_CAP && c.source[i] === 'thresholds'));
    expect(capped.length).toBeGreaterThan(0);
  });

  it('final score: F × (RA_u / RA_r) × (TA_u / TA_r) with accuracies averaged over the models', () => {
    const f = fixture.finalScore;
    const mean = (v: number[]) => v.reduce((a, b) => a + b, 0) / v.length;
    const score = neuripsFinalScore(f.forgetQuality, {
      unlearned: { retain: mean(f.unlearned.retain), test: mean(f.unlearned.test) },
      retrained: { retain: mean(f.retrained.retain), test: mean(f.retrained.test) },
    });
    close(score, f.score, 'score');
  });
});

describe('NeurIPS buckets', () => {
  it('scores 2^−b in bucket b up to ⌈ln(N − 1)⌉, 0 beyond', () => {
    expect(neuripsMaxEpsilon(512)).toBe(7);
    expect(neuripsMaxEpsilon(10)).toBe(3);
    expect(neuripsMaxEpsilon(3)).toBe(1);
    expect([0, 0.49, 0.5, 0.99, 1, 2.99, 3, 50].map((e) => neuripsPoints(e, 10))).toEqual([1, 1, 0.5, 0.5, 0.25, 1 / 32, 0, 0]);
    expect(neuripsPoints(6.9, 512)).toBe(2 ** -13);
    expect(neuripsPoints(7, 512)).toBe(0);
  });

  it('refuses unequal sides and fewer than 3 models per side', async () => {
    await expectUnlearnError(() => neuripsForgetScore([[1], [2], [3]], [[1], [2]]), 'SHAPE_MISMATCH');
    await expectUnlearnError(() => neuripsForgetScore([[1], [2]], [[1], [2]]), 'INVALID_OPTION', /at least 3/);
    await expectUnlearnError(() => neuripsForgetScore([[1], [2], [Number.NaN]], [[1], [2], [3]]), 'NON_FINITE');
  });
});

describe('neuripsScore on models', () => {
  const trainSeeds = (problem: ReturnType<typeof toyProblem>, seeds: number[], data: { x: tf.Tensor; y: tf.Tensor }) =>
    seeds.map((seed) => {
      const model = tinyClassifier({ inputDim: 4, hidden: 8, classes: 3, seed });
      fitInPlace(model, data, 40);
      return model;
    });

  it('reads every model once per split and agrees with the pure functions on its own outputs', async () => {
    const problem = toyProblem({ nTrain: 60, nTest: 30 });
    const forget = { x: tf.slice(problem.data.train.x, 0, 10), y: tf.slice(problem.data.train.y, 0, 10) };
    const retain = { x: tf.slice(problem.data.train.x, 10, 50), y: tf.slice(problem.data.train.y, 10, 50) };
    const unlearned = trainSeeds(problem, [11, 12, 13, 14], problem.data.train);
    const retrained = trainSeeds(problem, [21, 22, 23, 24], retain);
    const before = tf.memory().numTensors;

    const result = await neuripsScore({ unlearned, retrained, forget, retain, test: problem.data.test });
    expect(tf.memory().numTensors).toBe(before);

    const labels = async (t: tf.Tensor) => Int32Array.from(await t.data());
    const confs = async (models: typeof unlearned) =>
      Promise.all(models.map(async (m) => logitScaledConfidence(await predictProbabilities(m, forget.x), await labels(forget.y))));
    const expected = neuripsForgetScore(await confs(unlearned), await confs(retrained));
    expect(Array.from(result.epsilons)).toEqual(Array.from(expected.epsilons));
    expect(result.forgetQuality).toBe(expected.forgetQuality);
    const acc = async (m: (typeof unlearned)[0], d: { x: tf.Tensor; y: tf.Tensor }) => accuracyFromProbabilities(await predictProbabilities(m, d.x), await labels(d.y));
    const ra = await Promise.all(unlearned.map((m) => acc(m, retain)));
    expect(result.unlearned.perModel.map((a) => a.retain)).toEqual(ra);
    allClose([result.score], [result.forgetQuality * result.retainRatio * result.testRatio]);
    expect(result.models).toBe(4);
    expect(result.maxEpsilon).toBe(2);

    tf.dispose([forget.x, forget.y, retain.x, retain.y]);
    [...unlearned, ...retrained].forEach((m) => m.dispose());
    problem.dispose();
  });

  it('scores 1 when the unlearned models are the retrained ones', async () => {
    const problem = toyProblem({ nTrain: 40, nTest: 20 });
    const forget = { x: tf.slice(problem.data.train.x, 0, 8), y: tf.slice(problem.data.train.y, 0, 8) };
    const retain = { x: tf.slice(problem.data.train.x, 8, 32), y: tf.slice(problem.data.train.y, 8, 32) };
    const models = trainSeeds(problem, [31, 32, 33], retain);
    const result = await neuripsScore({ unlearned: models, retrained: models, forget, retain, test: problem.data.test });
    // Same confidences on both sides: every test has TPR = FPR, so ε = 0 for every example.
    expect(Array.from(result.epsilons)).toEqual(new Array(8).fill(0));
    expect(result.score).toBe(1);
    tf.dispose([forget.x, forget.y, retain.x, retain.y]);
    models.forEach((m) => m.dispose());
    problem.dispose();
  });

  it('refuses unequal model counts before predicting anything', async () => {
    const x = tf.zeros([2, 4]);
    const y = tf.tensor1d([0, 1], 'int32');
    const data = { x, y };
    await expectUnlearnError(neuripsScore({ unlearned: [], retrained: [], forget: data, retain: data, test: data }), 'INVALID_OPTION');
    tf.dispose([x, y]);
  });
});
