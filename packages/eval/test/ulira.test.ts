import * as tf from '@tensorflow/tfjs-core';
import { tinyClassifier } from '@unlearn/core/testing';
import { describe, expect, it } from 'vitest';
import { ulira } from '../src/index.js';
import type { ReferenceEstimate, ReferenceSide } from '../src/index.js';
import { expectUnlearnError, fitInPlace, toyProblem } from './helpers.js';

/**
 * Membership with memorable examples: the first 10 training rows get a wrong label. "In" models
 * train on all 60 rows (those labels included), "out" models on the other 50 only, each with
 * its own initialisation seed. With `sameData` both sides train on the 50 rows: a null setting.
 */
function setting(sameData = false) {
  const problem = toyProblem({ nTrain: 60, nTest: 30 });
  const flipped = tf.tidy(() => tf.mod(tf.add(tf.slice(problem.data.train.y, 0, 10), 1), 3));
  const examples = { x: tf.slice(problem.data.train.x, 0, 10), y: flipped };
  const all = { x: problem.data.train.x, y: tf.concat([flipped, tf.slice(problem.data.train.y, 10, 50)]) };
  const retain = { x: tf.slice(problem.data.train.x, 10, 50), y: tf.slice(problem.data.train.y, 10, 50) };
  const calls: { side: ReferenceSide; index: number }[] = [];
  const train = async ({ side, index }: { side: ReferenceSide; index: number }) => {
    calls.push({ side, index });
    const model = tinyClassifier({ inputDim: 4, hidden: 8, classes: 3, seed: 100 + 2 * index + (side === 'positive' ? 0 : 1) });
    fitInPlace(model, side === 'positive' && !sameData ? all : retain, 80);
    return model;
  };
  return {
    problem,
    examples,
    train,
    calls,
    dispose() {
      tf.dispose([flipped, examples.x, all.y, retain.x, retain.y]);
      problem.dispose();
    },
  };
}

describe('ulira (reference models trained on demand)', () => {
  it('tells in-models from out-models on memorised examples, says the time after the first pair, and frees every model', async () => {
    const s = setting();
    const lines: string[] = [];
    const estimates: { calls: number; estimate: ReferenceEstimate }[] = [];
    const before = tf.memory().numTensors;
    const result = await ulira({
      examples: s.examples,
      k: 3,
      train: s.train,
      log: (line) => lines.push(line),
      confirm: (estimate) => {
        estimates.push({ calls: s.calls.length, estimate });
        return true;
      },
    });
    expect(tf.memory().numTensors).toBe(before);
    expect(s.calls.map((c) => `${c.side[0]}${c.index}`)).toEqual(['p0', 'n0', 'p1', 'n1', 'p2', 'n2']);

    // Asked once, after exactly the first model of each side, with K × (first in + first out).
    expect(estimates).toHaveLength(1);
    expect(estimates[0]!.calls).toBe(2);
    const e = estimates[0]!.estimate;
    expect(e.models).toBe(6);
    expect(e.estimatedMs).toBeCloseTo(3 * (e.firstMs.positive + e.firstMs.negative), 6);
    expect(e.remainingMs).toBeCloseTo(2 * (e.firstMs.positive + e.firstMs.negative), 6);
    expect(lines[0]).toMatch(/6 reference models \(3 in, 3 out\)/);
    expect(lines[1]).toMatch(/first in model .* about .* for all 6/);
    expect(lines).toHaveLength(4);

    // Wrong labels the in-models were fitted on: the attack separates them almost surely.
    // Two reference models per fit and side make a noisy test, still far from chance here.
    expect(result.auc).toBeGreaterThan(0.75);
    expect(result.positives).toBe(30);
    expect(result.smallestResolvableFpr).toBeCloseTo(1 / 30, 15);
    // 1% and 0.1% are below 1/30: not resolvable with 30 negatives.
    expect(result.tprAtFpr.map((t) => t.tpr)).toEqual([Number.NaN, Number.NaN]);
    expect(result.variance).toBe('global');
    s.dispose();
  }, 60_000);

  it('is near chance when both sides are trained the same way', async () => {
    const s = setting(true);
    // All 30 test rows: more pairs than the 10 flipped ones, for a steadier AUC.
    const result = await ulira({ examples: s.problem.data.test, k: 3, train: s.train, log: () => {} });
    expect(Math.abs(result.auc - 0.5)).toBeLessThan(0.2);
    s.dispose();
  }, 60_000);

  it('scores a target model per example: an in-model looks "in" on most examples, an out-model does not', async () => {
    const s = setting();
    const inModel = await s.train({ side: 'positive', index: 7 });
    const outModel = await s.train({ side: 'negative', index: 7 });
    const run = (target: typeof inModel) => ulira({ examples: s.examples, k: 3, train: s.train, target, log: () => {} });
    const asIn = (await run(inModel)).target!;
    const asOut = (await run(outModel)).target!;
    expect(asIn.positiveFraction).toBeGreaterThanOrEqual(0.8);
    expect(asOut.positiveFraction).toBeLessThanOrEqual(0.2);
    expect(asIn.meanScore).toBeGreaterThan(asOut.meanScore);
    // The target is the caller's: read, not disposed.
    expect(inModel.predict(tf.zeros([1, 4])) as tf.Tensor).toBeDefined();
    inModel.dispose();
    outModel.dispose();
    s.dispose();
  }, 60_000);

  it('stops after the estimate when confirm says no, having freed the two models it trained', async () => {
    const s = setting();
    const before = tf.memory().numTensors;
    await expectUnlearnError(
      ulira({ examples: s.examples, k: 4, train: s.train, log: () => {}, confirm: () => false }),
      'ABORTED',
      /estimate/,
    );
    expect(s.calls).toHaveLength(2);
    expect(tf.memory().numTensors).toBe(before);
    s.dispose();
  }, 60_000);

  it('refuses k < 3 before training anything', async () => {
    const s = setting();
    await expectUnlearnError(ulira({ examples: s.examples, k: 2, train: s.train, log: () => {} }), 'INVALID_OPTION', /k/);
    expect(s.calls).toHaveLength(0);
    s.dispose();
  });
});
