import * as tf from '@tensorflow/tfjs-core';
import { toModelAdapter, unlearn } from '@unlearn/core';
import { fixtureModel, fixtureTensor, readFixture, type FixtureModelSpec, type FixtureTensor } from '@unlearn/golden';
import { describe, expect, it } from 'vitest';
import { negGradPlus } from '../src/index.js';

// Numbers from scripts/golden/make_neggrad_plus_fixture.py: a float64 PyTorch reference of the
// update in docs/algorithms/neggrad-plus.md on the fixture MLP, both sets taken in order (shuffle
// off), so retain batch i meets forget batch i mod 3. The script's --check run puts float32 within
// 1e-7 (relative L2) of float64 on every case, and no ReLU input comes nearer its kink than 3.8e-2,
// so 1e-5 leaves a hundredfold margin for tfjs's float32 kernels.
interface Case {
  name: string;
  forgetWeight: number;
  epochs: number;
  batchSize: number;
  forgetBatchSize: number;
  learningRate: number;
  momentum: number;
  weightDecay: number;
  anchorDecay: number;
  expected: { weights: FixtureTensor[]; losses: number[] };
}
interface Fixture extends FixtureModelSpec {
  retain: { x: FixtureTensor; y: number[] };
  forget: { x: FixtureTensor; y: number[] };
  cases: Case[];
}

const fixture = readFixture<Fixture>(new URL('./fixtures/neggrad-plus-mlp.json', import.meta.url));
const TOLERANCE = 1e-5;

function relativeError(got: tf.Tensor, want: FixtureTensor): number {
  return tf.tidy(() => {
    const w = fixtureTensor(want);
    return tf.norm(tf.sub(got, w)).dataSync()[0]! / tf.norm(w).dataSync()[0]!;
  });
}

describe('neggrad-plus matches the PyTorch float64 reference', () => {
  for (const c of fixture.cases) {
    it(`${c.name}: weights after ${c.epochs} epoch(s) and the mean loss of each`, async () => {
      const model = fixtureModel(fixture);
      const retain = { x: fixtureTensor(fixture.retain.x), y: tf.tensor1d(fixture.retain.y, 'int32') };
      const forget = { x: fixtureTensor(fixture.forget.x), y: tf.tensor1d(fixture.forget.y, 'int32') };
      const { name: _n, expected, ...options } = c;
      const result = await unlearn(model, { forget, retain }, negGradPlus({ ...options, shuffle: false }), { inPlace: true });
      const vars = toModelAdapter(model).trainable;
      expected.weights.forEach((want, i) => expect(relativeError(vars[i]!.variable, want), want.name).toBeLessThan(TOLERANCE));
      // The trainer reports each epoch's sample-weighted mean loss; the reference lists every step's.
      const rows = c.forgetWeight === 1 ? fixture.forget.y.length : fixture.retain.y.length;
      const perEpoch = Math.ceil(rows / c.batchSize);
      const history = result.details.history;
      for (let e = 0; e < c.epochs; e++) {
        let sum = 0;
        for (let b = 0; b < perEpoch; b++) sum += expected.losses[e * perEpoch + b]! * Math.min(c.batchSize, rows - b * c.batchSize);
        expect(history[e]!.loss).toBeCloseTo(sum / rows, 5);
      }
      tf.dispose([retain.x, retain.y, forget.x, forget.y]);
      model.dispose();
    });
  }
});
