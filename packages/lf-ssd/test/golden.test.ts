import * as tf from '@tensorflow/tfjs-core';
import { toModelAdapter, unlearn } from '@unlearn/core';
import { describe, expect, it } from 'vitest';
import { lfSsd, lossFreeImportance, selectAndDampen } from '../src/index.js';
import { buildModel, expectAutoAlpha, expectClose, inputs, readFixture, type DampenCase, type GoldenFixture } from './golden.js';

// Expected values come from the float64 PyTorch reference in scripts/golden/make_fixtures.py
// (docs/algorithms/lf-ssd.md, The math in short; format in scripts/golden/README.md). The fixtures
// carry no labels.
const TOL = 1e-5;
const fixtures: [string, GoldenFixture][] = ['mlp', 'cnn'].map((m) => [m, readFixture(new URL(`./fixtures/lf-ssd-${m}.json`, import.meta.url))]);

const weightsOf = (model: ReturnType<typeof buildModel>) =>
  Promise.all(toModelAdapter(model).trainable.map(async (v) => (await v.variable.data()) as Float32Array));

async function checkCase(f: GoldenFixture, c: DampenCase, impTrain: tf.Tensor[], impForget: tf.Tensor[]) {
  const model = buildModel(f);
  try {
    const report = await selectAndDampen(model, impTrain, impForget, c, 'lf-ssd');
    expect(report.variables.map((v) => v.selected)).toEqual(c.expected.selected.map((s) => s.values.reduce((a, b) => a + b, 0)));
    for (let i = 0; i < impTrain.length; i++) {
      const mask = tf.tidy(() => tf.cast(tf.greater(impForget[i]!, tf.mul(impTrain[i]!, c.alpha)), 'int32'));
      expect(Array.from(await mask.data()), `selection mask ${c.expected.selected[i]!.name}`).toEqual(c.expected.selected[i]!.values);
      mask.dispose();
    }
    (await weightsOf(model)).forEach((w, i) => expectClose(w, c.expected.weights[i]!, TOL, `weights (alpha ${c.alpha}, lambda ${c.lambda})`));
  } finally {
    model.dispose();
  }
}

describe.each(fixtures)('LF-SSD golden parity with the PyTorch reference (%s)', (_name, f) => {
  it('computes the loss-free importances, masks and dampened weights within 1e-5', async () => {
    const model = buildModel(f);
    const forget = inputs(f.forget);
    const train = inputs(f.train);
    const iF = await lossFreeImportance(model, forget, { batchSize: f.batchSize, threads: 1 });
    const iD = await lossFreeImportance(model, train, { batchSize: f.batchSize, threads: 1 });
    (await Promise.all(iF.map((t) => t.data()))).forEach((v, i) => expectClose(v, f.expected.importanceForget[i]!, TOL, 'I_forget'));
    (await Promise.all(iD.map((t) => t.data()))).forEach((v, i) => expectClose(v, f.expected.importanceTrain[i]!, TOL, 'I_train'));
    await checkCase(f, { ...f, expected: f.expected }, iD, iF);
    for (const c of f.extraCases) await checkCase(f, c, iD, iF);
    tf.dispose([...iF, ...iD, forget.x, train.x]);
    model.dispose();
  });

  it('gives the reference weights through unlearn() with lfSsd() and no labels', async () => {
    const model = buildModel(f);
    const forget = inputs(f.forget);
    const train = inputs(f.train);
    const method = lfSsd({ alpha: f.alpha, lambda: f.lambda, exponent: f.exponent, cap: f.cap, batchSize: f.batchSize });
    const result = await unlearn(model, { forget, train }, method);
    (await weightsOf(result.model as typeof model)).forEach((w, i) => expectClose(w, f.expected.weights[i]!, TOL, 'weights'));
    expect(result.details.importance).toBe('loss-free');
    expect(result.details.selected).toBe(f.expected.selected.reduce((n, s) => n + s.values.reduce((a, b) => a + b, 0), 0));
    result.model.dispose();
    model.dispose();
    tf.dispose([forget.x, train.x]);
  });

  it("picks Adaptive SSD's alpha ('auto') and dampens to the reference weights", async () => {
    const model = buildModel(f);
    const forget = inputs(f.forget);
    const train = inputs(f.train);
    const result = await unlearn(model, { forget, train }, lfSsd({ alpha: 'auto', lambda: f.autoAlpha.lambda, batchSize: f.batchSize }));
    expectAutoAlpha(result.details, await weightsOf(result.model as typeof model), f.autoAlpha, TOL);
    result.model.dispose();
    model.dispose();
    tf.dispose([forget.x, train.x]);
  });
});
