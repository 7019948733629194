import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import {
  accuracy,
  accuracyFromProbabilities,
  activationDistance,
  activationDistances,
  entropies,
  jsDivergences,
  jsToRetrained,
  predictProbabilities,
  randomlyInitialised,
  speedUp,
  summarize,
  zrf,
  zrfFromProbabilities,
} from '../src/index.js';
import { toModelAdapter } from '@unlearn/core';
import { tinyCnn } from '@unlearn/core/testing';
import { expectUnlearnError, logOf, passThroughModel, probs } from './helpers.js';

const LN2 = Math.log(2);

describe('accuracy', () => {
  const rows = [
    [0.7, 0.2, 0.1], // predicts 0, label 0: hit
    [0.1, 0.8, 0.1], // predicts 1, label 0: miss
    [0.3, 0.3, 0.4], // predicts 2, label 2: hit
    [0.5, 0.5, 0.0], // tie: argmax takes the first (0), label 1: miss
  ];
  const labels = [0, 0, 2, 1];

  it('counts top-1 hits over samples', () => {
    expect(accuracyFromProbabilities(probs(rows), labels)).toBe(0.5);
  });

  it('weights samples, not batches, whatever the batch size', async () => {
    const model = passThroughModel();
    const x = logOf(rows);
    const y = tf.tensor1d(labels, 'int32');
    // Batches of 3 + 1: a per-batch mean (the reference) would give (2/3 + 0/1) / 2 = 1/3.
    expect(await accuracy(model, { x, y }, { batchSize: 3 })).toBeCloseTo(0.5, 12);
    expect(await accuracy(model, { x, y: tf.oneHot(y, 3) }, { batchSize: 1 })).toBeCloseTo(0.5, 12);
    tf.dispose([x, y, model.variables[0]!]);
  });
});

describe('entropies', () => {
  it('is −Σ p ln p with 0 ln 0 = 0', () => {
    const h = entropies(probs([[0.5, 0.5, 0, 0], [1, 0, 0, 0], [0.25, 0.25, 0.25, 0.25], [0.25, 0.75, 0, 0]]));
    expect(h[0]).toBeCloseTo(LN2, 7);
    expect(h[1]).toBe(0);
    expect(h[2]).toBeCloseTo(Math.log(4), 7);
    expect(h[3]).toBeCloseTo(-(0.25 * Math.log(0.25) + 0.75 * Math.log(0.75)), 7);
  });
});

describe('Jensen-Shannon divergence', () => {
  it('is 0 for equal outputs and ln 2 for disjoint ones', () => {
    const js = jsDivergences(probs([[0.2, 0.8], [1, 0]]), probs([[0.2, 0.8], [0, 1]]));
    expect(js[0]).toBeCloseTo(0, 12);
    expect(js[1]).toBeCloseTo(LN2, 7);
  });

  it('matches a hand computation and is symmetric', () => {
    // p = (½, ½), q = (1, 0), m = (¾, ¼):
    // KL(p‖m) = ½ ln(½ / ¾) + ½ ln(½ / ¼); KL(q‖m) = ln(1 / ¾).
    const expected = 0.5 * (0.5 * Math.log(2 / 3) + 0.5 * Math.log(2)) + 0.5 * Math.log(4 / 3);
    expect(expected).toBeCloseTo(0.2157616, 6);
    const p = probs([[0.5, 0.5]]);
    const q = probs([[1, 0]]);
    expect(jsDivergences(p, q)[0]).toBeCloseTo(expected, 7);
    expect(jsDivergences(q, p)[0]).toBeCloseTo(expected, 7);
  });

  it('averages over samples for two models', async () => {
    const a = passThroughModel();
    const swap = passThroughModel((x) => tf.reverse(x, 1));
    const x = logOf([[0.5, 0.5], [0.9, 0.1], [0.25, 0.75]]);
    // Swapping the columns leaves (½, ½) unchanged: the mean is (0 + JS(.9/.1 vs .1/.9) + JS(.25/.75 vs .75/.25)) / 3.
    const js = (a1: number, b1: number) => {
      const m = 0.5;
      return 0.5 * (a1 * Math.log(a1 / m) + b1 * Math.log(b1 / m)) + 0.5 * (b1 * Math.log(b1 / m) + a1 * Math.log(a1 / m));
    };
    expect(await jsToRetrained(a, swap, { x })).toBeCloseTo((0 + js(0.9, 0.1) + js(0.25, 0.75)) / 3, 6);
    expect(await jsToRetrained(a, a, { x })).toBeCloseTo(0, 10);
    tf.dispose([x, a.variables[0]!, swap.variables[0]!]);
  });
});

describe('activation distance', () => {
  it('is the mean L2 distance between output distributions', async () => {
    const d = activationDistances(probs([[1, 0], [0.5, 0.5]]), probs([[0, 1], [1, 0]]));
    expect(d[0]).toBeCloseTo(Math.SQRT2, 7);
    expect(d[1]).toBeCloseTo(Math.sqrt(0.5), 7);
    const a = passThroughModel();
    const swap = passThroughModel((x) => tf.reverse(x, 1));
    const x = logOf([[0.9, 0.1], [0.5, 0.5]]);
    // (0.9, 0.1) vs (0.1, 0.9): √(0.8² + 0.8²); (½, ½) vs itself: 0.
    expect(await activationDistance(a, swap, { x })).toBeCloseTo((Math.sqrt(2 * 0.64) + 0) / 2, 6);
    tf.dispose([x, a.variables[0]!, swap.variables[0]!]);
  });
});

describe('ZRF', () => {
  it('is 1 − mean JS: 1 for identical outputs, 1 − ln 2 for disjoint ones', () => {
    expect(zrfFromProbabilities(probs([[0.3, 0.7]]), probs([[0.3, 0.7]]))).toBeCloseTo(1, 12);
    expect(zrfFromProbabilities(probs([[1, 0], [0.3, 0.7]]), probs([[0, 1], [0.3, 0.7]]))).toBeCloseTo(1 - LN2 / 2, 7);
  });

  it("reproduces the reference's elementwise-mean KL(m‖·) variant by hand", () => {
    // p = (½, ½), r = (0.8, 0.2), m = (0.65, 0.35); torch kl_div(log p, m) with reduction 'mean'
    // averages m·(ln m − ln p) over the n·C = 2 elements.
    const m = [0.65, 0.35];
    const p = [0.5, 0.5];
    const r = [0.8, 0.2];
    let sum = 0;
    for (let k = 0; k < 2; k++) sum += 0.5 * m[k]! * Math.log(m[k]! / p[k]!) + 0.5 * m[k]! * Math.log(m[k]! / r[k]!);
    const expected = 1 - sum / 2;
    expect(zrfFromProbabilities(probs([p]), probs([r]), 'reference')).toBeCloseTo(expected, 7);
    expect(zrfFromProbabilities(probs([p]), probs([r]), 'js')).not.toBeCloseTo(expected, 3);
  });

  it('compares a model with a randomly initialised copy of its architecture', async () => {
    const model = tinyCnn({ size: 8, classes: 3, seed: 1 });
    const random = await randomlyInitialised(model, 4);
    const again = await randomlyInitialised(model, 4);
    const other = await randomlyInitialised(model, 5);
    const x = tf.randomUniform([6, 8, 8, 1], 0, 1, 'float32', 3);
    try {
      const w = toModelAdapter(model).variables.map((v) => v.variable.dataSync()[0]);
      const wr = random.variables.map((v) => v.variable.dataSync()[0]);
      expect(wr).not.toEqual(w);
      expect(random.variables.map((v) => Array.from(v.variable.dataSync()))).toEqual(again.variables.map((v) => Array.from(v.variable.dataSync())));
      expect(other.variables[0]!.variable.dataSync()[0]).not.toBe(random.variables[0]!.variable.dataSync()[0]);
      // Biases start at 0.
      expect(Array.from(random.variables[1]!.variable.dataSync()).every((v) => v === 0)).toBe(true);
      const score = await zrf(model, random, { x });
      const p = await predictProbabilities(model, x);
      const r = await predictProbabilities(random, x);
      expect(score).toBeCloseTo(zrfFromProbabilities(p, r), 10);
      expect(score).toBeGreaterThan(1 - LN2);
      expect(score).toBeLessThan(1);
      expect(await zrf(model, model, { x })).toBeCloseTo(1, 10);
    } finally {
      model.dispose();
      random.dispose();
      again.dispose();
      other.dispose();
      x.dispose();
    }
  });
});

describe('randomlyInitialised', () => {
  it("uses a function model's own init(seed), and refuses one without it", async () => {
    const v = tf.variable(tf.ones([2]));
    const seeds: number[] = [];
    const fm = {
      variables: [v],
      apply: (x: tf.Tensor) => tf.mul(x, v),
      clone: () => ({ ...fm, variables: [tf.variable(v.clone())], init: fm.init }),
      init(seed: number) {
        seeds.push(seed);
      },
    };
    const copy = await randomlyInitialised(fm, 9);
    expect(seeds).toEqual([9]);
    copy.dispose();
    await expectUnlearnError(randomlyInitialised({ variables: [v], apply: (x: tf.Tensor) => x, clone: () => ({ variables: [tf.variable(v.clone())], apply: (x: tf.Tensor) => x }) }, 1), 'UNSUPPORTED_MODEL', /init\(seed\)/);
    v.dispose();
  });
});

describe('speedUp and summaries', () => {
  it('divides retrain time by method time', () => {
    expect(speedUp(60_000, 1_500)).toBe(40);
    expect(speedUp(100, 0)).toBe(Number.POSITIVE_INFINITY);
    expect(speedUp(100, Number.NaN)).toBeNaN();
  });

  it('gives mean, sample std, min and max, ignoring NaN', () => {
    const s = summarize([1, 2, 3, 6, Number.NaN]);
    expect(s).toEqual({ mean: 3, std: Math.sqrt((4 + 1 + 0 + 9) / 3), min: 1, max: 6, n: 4 });
    expect(summarize([5])).toEqual({ mean: 5, std: 0, min: 5, max: 5, n: 1 });
    expect(summarize([Number.NaN]).n).toBe(0);
  });
});
