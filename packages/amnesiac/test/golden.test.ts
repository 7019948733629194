import * as tf from '@tensorflow/tfjs-core';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import { defineUnlearner, toModelAdapter, unlearn } from '@unlearn/core';
import { fixtureModel, fixtureTensor, readFixture, relativeError, type FixtureModelSpec, type FixtureTensor } from '@unlearn/golden';
import { describe, expect, it } from 'vitest';
import { AMNESIAC_OPTIONS, type AmnesiacOptions } from '../src/index.js';
import { runAmnesiac } from '../src/run.js';

// Expected values: the float64 reference in scripts/golden/make_amnesiac_fixture.py
// (docs/algorithms/amnesiac.md, The math in short), on the fixture MLP with the fixture's random
// wrong labels injected, shuffling off. Compared: the weight change Δ = w_end − w_start, relative
// L2 error ≤ 1e-4 per variable (float32 against float64 over 8 steps; measured: about 1e-5 for Adam,
// whose early steps divide by |g| and so magnify rounding, about 1e-7 for SGD), and the epoch
// losses within 1e-5 relative.
interface Case {
  optimizer: 'adam' | 'sgd';
  learningRate: number;
  momentum: number;
  weightDecay: number;
  epochs: number;
  expected: { weights: FixtureTensor[]; epochLosses: number[] };
}
interface Fixture extends FixtureModelSpec {
  forget: { x: FixtureTensor; y: FixtureTensor };
  retain: { x: FixtureTensor; y: FixtureTensor };
  wrongLabels: FixtureTensor;
  batchSize: number;
  cases: Case[];
}

const f = readFixture<Fixture>(new URL('./fixtures/amnesiac-mlp.json', import.meta.url));
const labelled = (p: Fixture['forget']) => ({ x: fixtureTensor(p.x), y: tf.tensor1d(p.y.values, 'int32') });

describe('Amnesiac parity with the PyTorch reference (fixture MLP)', () => {
  it.each(f.cases.map((c) => [c.optimizer, c] as const))('%s: same weights and epoch losses as the float64 reference', async (_name, c) => {
    const model = fixtureModel(f);
    const forget = labelled(f.forget);
    const retain = labelled(f.retain);
    const wrong = tf.tensor1d(f.wrongLabels.values, 'int32');
    const options: AmnesiacOptions = AMNESIAC_OPTIONS.resolve({ ...c, expected: undefined, batchSize: f.batchSize, shuffle: false, checkEvery: 1 } as never);
    const method = defineUnlearner({ name: 'amnesiac', options, needs: { labels: true, retain: true }, unlearn: (ctx) => runAmnesiac(ctx, options, wrong) });
    const result = await unlearn(model, { forget, retain }, method);
    const after = await Promise.all(toModelAdapter(result.model).trainable.map((v) => v.variable.data()));
    f.weights.forEach((w0, i) => {
      const want = c.expected.weights[i]!.values.map((v, j) => v - w0.values[j]!);
      const got = Array.from(after[i]!, (v, j) => v - w0.values[j]!);
      expect(relativeError(got, want), `Δ ${w0.name}`).toBeLessThan(1e-4);
    });
    const losses = result.details.history.map((h) => h.loss);
    losses.forEach((l, e) => expect(Math.abs(l - c.expected.epochLosses[e]!) / c.expected.epochLosses[e]!).toBeLessThan(1e-5));
    (result.model as LayersModel).dispose();
    model.dispose();
    tf.dispose([forget.x, forget.y, retain.x, retain.y, wrong]);
  });
});
