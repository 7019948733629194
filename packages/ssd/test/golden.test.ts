import * as tf from '@tensorflow/tfjs-core';
import { toModelAdapter, unlearn } from '@unlearn/core';
import { describe, expect, it } from 'vitest';
import { fisherImportance, selectAndDampen, ssd } from '../src/index.js';
import { buildModel, dataset, expectAutoAlpha, expectClose, readFixture, type DampenCase, type GoldenFixture } from './golden.js';

// Expected values come from the float64 PyTorch reference in scripts/golden/make_fixtures.py
// (docs/algorithms/ssd.md, The math in short; format in scripts/golden/README.md). Nothing here is
// computed by this package.
const TOL = 1e-5;
const fixtures: [string, GoldenFixture][] = ['mlp', 'cnn'].map((m) => [m, readFixture(new URL(`./fixtures/ssd-${m}.json`, import.meta.url))]);

async function weightsOf(model: ReturnType<typeof buildModel>): Promise<Float32Array[]> {
  return Promise.all(toModelAdapter(model).trainable.map(async (v) => (await v.variable.data()) as Float32Array));
}

async function checkCase(f: GoldenFixture, c: DampenCase, impTrain: tf.Tensor[], impForget: tf.Tensor[]) {
  const model = buildModel(f);
  try {
    const report = await selectAndDampen(model, impTrain, impForget, c);
    const selected = c.expected.selected.map((s) => s.values.reduce((a, b) => a + b, 0));
    expect(report.variables.map((v) => v.selected)).toEqual(selected);
    const masks = await Promise.all(
      impTrain.map(async (d, i) => {
        const m = tf.tidy(() => tf.cast(tf.greater(impForget[i]!, tf.mul(d, c.alpha)), 'int32'));
        const values = Array.from(await m.data());
        m.dispose();
        return values;
      }),
    );
    masks.forEach((m, i) => expect(m, `selection mask ${c.expected.selected[i]!.name}`).toEqual(c.expected.selected[i]!.values));
    (await weightsOf(model)).forEach((w, i) => expectClose(w, c.expected.weights[i]!, TOL, `weights (alpha ${c.alpha}, lambda ${c.lambda})`));
  } finally {
    model.dispose();
  }
}

describe.each(fixtures)('SSD golden parity with the PyTorch reference (%s)', (_name, f) => {
  it('computes the Fisher importances on D and Df within 1e-5', async () => {
    const model = buildModel(f);
    const forget = dataset(f.forget, true);
    const train = dataset(f.train, true);
    const iF = await fisherImportance(model, forget, { batchSize: f.batchSize, threads: 1 });
    const iD = await fisherImportance(model, train, { batchSize: f.batchSize, threads: 1 });
    for (const [got, want, what] of [[iF, f.expected.importanceForget, 'I_forget'], [iD, f.expected.importanceTrain, 'I_train']] as const) {
      const values = await Promise.all(got.map((t) => t.data()));
      values.forEach((v, i) => expectClose(v, want[i]!, TOL, what));
    }
    await checkCase(f, { ...f, expected: f.expected }, iD, iF);
    for (const c of f.extraCases) await checkCase(f, c, iD, iF);
    tf.dispose([...iF, ...iD, ...Object.values(forget), ...Object.values(train)]);
    model.dispose();
  });

  it('gives the reference weights through unlearn() with ssd()', async () => {
    const model = buildModel(f);
    const forget = dataset(f.forget, true);
    const train = dataset(f.train, true);
    const method = ssd({ alpha: f.alpha, lambda: f.lambda, exponent: f.exponent, cap: f.cap, batchSize: f.batchSize });
    const result = await unlearn(model, { forget, train }, method);
    (await weightsOf(result.model as typeof model)).forEach((w, i) => expectClose(w, f.expected.weights[i]!, TOL, 'weights'));
    const want = f.expected.selected.reduce((n, s) => n + s.values.reduce((a, b) => a + b, 0), 0);
    expect(result.details.selected).toBe(want);
    expect(result.details.parameters).toBe(f.weights.reduce((n, w) => n + w.values.length, 0));
    result.model.dispose();
    model.dispose();
    tf.dispose([...Object.values(forget), ...Object.values(train)]);
  });

  it("picks Adaptive SSD's alpha ('auto') and dampens to the reference weights", async () => {
    const model = buildModel(f);
    const forget = dataset(f.forget, true);
    const train = dataset(f.train, true);
    const result = await unlearn(model, { forget, train }, ssd({ alpha: 'auto', lambda: f.autoAlpha.lambda, batchSize: f.batchSize }));
    expectAutoAlpha(result.details, await weightsOf(result.model as typeof model), f.autoAlpha, TOL);
    result.model.dispose();
    model.dispose();
    tf.dispose([...Object.values(forget), ...Object.values(train)]);
  });
});
