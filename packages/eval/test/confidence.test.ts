import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import type { UnlearnError } from '@unlearn/core';
import { CONFIDENCE_FLOOR, logitScaledConfidence, logitScaledConfidenceFromLogits, predictProbabilities } from '../src/index.js';
import { allClose, readGolden } from './golden.js';
import { expectUnlearnError, passThroughModel, probs } from './helpers.js';

interface Case {
  name: string;
  classes: number;
  labels: number[];
  probabilities: number[];
  logits: number[];
  fromProbabilities: number[];
  fromLogits: number[];
}

const fixture = readGolden<{ floor: number; cases: Case[] }>('logit-confidence.json');
const rows = (values: number[], classes: number) => ({ values: Float32Array.from(values), n: values.length / classes, classes });

describe('logit-scaled confidence against NumPy (logit-confidence.json)', () => {
  it('uses the same floor', () => {
    expect(fixture.floor).toBe(CONFIDENCE_FLOOR);
    expect(fixture.cases.length).toBe(3);
  });

  for (const c of fixture.cases) {
    it(c.name, () => {
      // Inputs are float32 values (the fixture rounds them), so Float32Array holds them exactly.
      allClose(logitScaledConfidence(rows(c.probabilities, c.classes), c.labels), c.fromProbabilities, 'probabilities');
      allClose(logitScaledConfidenceFromLogits(rows(c.logits, c.classes), c.labels), c.fromLogits, 'logits');
    });
  }

  it('keeps the signal where float32 rounds p_y to 1, and is bounded by the floor where a probability is 0', () => {
    const c = fixture.cases.find((x) => x.name.startsWith('saturated'))!;
    const phi = logitScaledConfidence(rows(c.probabilities, c.classes), c.labels);
    // Margins 20, 30, 40, 60: p_y is exactly 1 in float32, yet the scores still grow with the margin.
    for (let i = 0; i < 4; i++) expect(c.probabilities[i * c.classes + c.labels[i]!]).toBe(1);
    for (let i = 1; i < 4; i++) expect(phi[i]!).toBeGreaterThan(phi[i - 1]! + 9);
    // 1 − p_y would have given ln(1/0) = ∞ for all four.
    expect(Math.abs(phi[4]! - -Math.log(CONFIDENCE_FLOOR))).toBeLessThan(1e-9);
    // The wrong-class mass is a float32 sum of three thirds: 1 within 3e-8.
    expect(Math.abs(phi[5]! - Math.log(CONFIDENCE_FLOOR))).toBeLessThan(1e-7);
    // From logits there is no floor: the margin-110 row is 110 − ln 3 exactly.
    const fromLogits = logitScaledConfidenceFromLogits(rows(c.logits, c.classes), c.labels);
    expect(fromLogits[4]).toBeCloseTo(110 - Math.log(3), 12);
  });

  it('is ln(p / (1 − p)) on plain rows and reads a model through predictProbabilities', async () => {
    const p = [
      [0.7, 0.2, 0.1],
      [0.25, 0.25, 0.5],
    ];
    const phi = logitScaledConfidence(probs(p), [0, 1]);
    expect(phi[0]).toBeCloseTo(Math.log(0.7 / 0.3), 6);
    expect(phi[1]).toBeCloseTo(Math.log(0.25 / 0.75), 6);
    const model = passThroughModel();
    const x = tf.tidy(() => tf.log(tf.tensor2d(p)));
    const before = tf.memory().numTensors;
    const viaModel = logitScaledConfidence(await predictProbabilities(model, x), [0, 1]);
    expect(tf.memory().numTensors).toBe(before);
    // float32 softmax of ln p gives p back to ~1e-7.
    allClose(viaModel, Array.from(phi), 'via model', 1e-6);
    tf.dispose([x, ...model.variables]);
  });

  it('[bad input] labels out of range, label counts that do not match and one-class rows → LABEL_OUT_OF_RANGE (core\'s rule, located at the split and row) or SHAPE_MISMATCH', async () => {
    const out = (await expectUnlearnError(() => logitScaledConfidence(probs([[0.5, 0.5], [0.5, 0.5]]), [1, 2]), 'LABEL_OUT_OF_RANGE', /^logitScaledConfidence: labels\[1\] = 2 is outside the model's classes \(0\.\.1\)/)) as UnlearnError;
    expect([out.split, out.field, out.index]).toEqual(['labels', 'y', 1]);
    const named = (await expectUnlearnError(() => logitScaledConfidenceFromLogits(probs([[1, 2]]), [-1], 'forget'), 'LABEL_OUT_OF_RANGE', /forget\.y\[0\] = -1/)) as UnlearnError;
    expect([named.split, named.index]).toEqual(['forget', 0]);
    await expectUnlearnError(() => logitScaledConfidence(probs([[0.5, 0.5]]), [0, 1]), 'SHAPE_MISMATCH');
    await expectUnlearnError(() => logitScaledConfidenceFromLogits(probs([[1], [2]]), [0, 0]), 'SHAPE_MISMATCH');
  });
});
