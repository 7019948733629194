import { readFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import {
  entropies,
  fitLogistic1d,
  logisticPredict,
  logisticProbability,
  membershipInference,
  membershipInferenceFromEntropies,
} from '../src/index.js';
import { expectUnlearnError, logOf, passThroughModel, probs } from './helpers.js';

interface SklearnCase {
  name: string;
  C: number;
  multiClass: 'auto' | 'multinomial';
  members: number[];
  nonMembers: number[];
  query: number[];
  coef: number;
  intercept: number;
  decision: number[];
  probaMember: number[];
  predicted: number[];
  memberFraction: number;
}

// Written by scripts/golden_mia.py with sklearn's LogisticRegression (see the fixture's header).
const fixture = JSON.parse(readFileSync(new URL('./fixtures/mia-sklearn.json', import.meta.url), 'utf8')) as {
  sklearn: string;
  cases: SklearnCase[];
};

const relClose = (actual: number, expected: number, rtol: number) =>
  expect(Math.abs(actual - expected), `${actual} vs ${expected}`).toBeLessThanOrEqual(rtol * Math.max(1, Math.abs(expected)));

describe('logistic regression against sklearn', () => {
  it('has cases to check', () => {
    expect(fixture.cases.length).toBeGreaterThanOrEqual(5);
  });

  for (const c of fixture.cases) {
    it(c.name, () => {
      const x = [...c.members, ...c.nonMembers];
      const y = [...c.members.map(() => 1), ...c.nonMembers.map(() => 0)];
      const multinomial = c.multiClass === 'multinomial';
      const fit = fitLogistic1d(x, y, { C: c.C, multinomial });
      expect(fit.converged).toBe(true);
      // sklearn's multinomial fit keeps one row of a symmetric 2-logit softmax: half the binary decision.
      const scale = multinomial ? 2 : 1;
      relClose(fit.coef, scale * c.coef, 1e-5);
      relClose(fit.intercept, scale * c.intercept, 1e-5);
      c.query.forEach((q, i) => {
        relClose(fit.coef * q + fit.intercept, scale * c.decision[i]!, 1e-5);
        relClose(logisticProbability(fit, q), c.probaMember[i]!, 1e-6);
        expect(logisticPredict(fit, q)).toBe(c.predicted[i]);
      });
      const mia = membershipInferenceFromEntropies(
        { retainTrain: c.members, test: c.nonMembers, forgetTrain: c.query },
        { C: c.C, multinomial },
      );
      expect(mia.value).toBe(c.memberFraction);
    });
  }
});

describe('logistic regression, closed form', () => {
  // A binary feature with no penalty: the fit is saturated, so the weighted odds at each
  // feature value are matched exactly. Members: 6 at x=0, 2 at x=1; non-members: 1 at x=0,
  // 3 at x=1. Balanced weights: s₁ = 12/(2·8) = ¾, s₀ = 12/(2·4) = 3/2.
  // b = ln(s₁·6 / (s₀·1)) = ln 3 and w + b = ln(s₁·2 / (s₀·3)) = ln ⅓, so w = −2 ln 3.
  const x = [0, 0, 0, 0, 0, 0, 1, 1, 0, 1, 1, 1];
  const y = [1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0];

  it('matches the saturated-model solution', () => {
    const fit = fitLogistic1d(x, y, { C: Number.POSITIVE_INFINITY });
    expect(fit.converged).toBe(true);
    expect(fit.intercept).toBeCloseTo(Math.log(3), 8);
    expect(fit.coef).toBeCloseTo(-2 * Math.log(3), 8);
  });

  it('differs without class balancing (b = ln 6, w + b = ln ⅔)', () => {
    const fit = fitLogistic1d(x, y, { C: Number.POSITIVE_INFINITY, classWeight: 'none' });
    expect(fit.intercept).toBeCloseTo(Math.log(6), 8);
    expect(fit.coef).toBeCloseTo(Math.log(2 / 3) - Math.log(6), 8);
  });

  it('turns into an MIA score: forget samples at x = 0 look like members', () => {
    const mia = membershipInferenceFromEntropies(
      { retainTrain: [0, 0, 0, 0, 0, 0, 1, 1], test: [0, 1, 1, 1], forgetTrain: [0, 0, 1] },
      { C: Number.POSITIVE_INFINITY },
    );
    expect(mia.value).toBeCloseTo(2 / 3, 12);
    expect(mia.members).toBe(8);
    expect(mia.nonMembers).toBe(4);
  });

  it('rejects data with one class only', async () => {
    await expectUnlearnError(() => fitLogistic1d([0, 1], [1, 1]), 'EMPTY_DATASET', /both classes/);
    await expectUnlearnError(() => fitLogistic1d([0, 1], [1, 2]), 'INVALID_OPTION', /expected 0 or 1/);
  });
});

describe('membershipInference on a model', () => {
  it('fits on entropies of retain-train vs test and scores forget-train', async () => {
    const model = passThroughModel();
    const retain = [[0.98, 0.01, 0.01], [0.95, 0.03, 0.02], [0.9, 0.05, 0.05], [0.97, 0.02, 0.01], [0.6, 0.3, 0.1]];
    const test = [[0.4, 0.3, 0.3], [0.6, 0.2, 0.2], [0.34, 0.33, 0.33], [0.99, 0.005, 0.005]];
    const forget = [[0.96, 0.02, 0.02], [0.35, 0.35, 0.3], [0.5, 0.25, 0.25]];
    const tensors = { retain: logOf(retain), test: logOf(test), forget: logOf(forget) };
    try {
      const result = await membershipInference(model, {
        retainTrain: { x: tensors.retain },
        test: { x: tensors.test },
        forgetTrain: { x: tensors.forget },
      }, { batchSize: 2 });
      const expected = membershipInferenceFromEntropies({
        retainTrain: entropies(probs(retain)),
        test: entropies(probs(test)),
        forgetTrain: entropies(probs(forget)),
      });
      expect(result.value).toBe(expected.value);
      expect(result.classifier.coef).toBeCloseTo(expected.classifier.coef, 5);
      // Lower entropy looks like membership: the weight on entropy is negative.
      expect(result.classifier.coef).toBeLessThan(0);
      expect(result.value).toBeGreaterThan(0);
      expect(result.value).toBeLessThan(1);
    } finally {
      tf.dispose([tensors.retain, tensors.test, tensors.forget, model.variables[0]!]);
    }
  });
});
