import * as tf from '@tensorflow/tfjs-core';
import { toModelAdapter, unlearn } from '@unlearn/core';
import { fixtureModel, fixtureTensor, readFixture, type FixtureModelSpec, type FixtureTensor } from '@unlearn/golden';
import { describe, expect, it } from 'vitest';
import { createUnsir } from '../src/method.js';

// Numbers from scripts/golden/make_unsir_fixture.py: a float64 PyTorch reference of
// docs/algorithms/unsir.md on the fixture MLP, with the run's random draws (each class's starting
// noise, the retain sample's rows) injected and shuffling off. Its --check run puts float32 within
// 1.8e-7 (relative) of float64 on every weight and noise loss, and the smallest |ReLU input| seen is
// 2.9e-3, so 1e-5 leaves a wide margin for tfjs's float32 kernels. The reference's Adam uses the constants tfjs
// holds in float32 (1 − float32(0.999) is 1.3e-5 off 0.001); with exact ones dense2/bias is 2e-5 off.
interface Case {
  name: string;
  forgetClasses: number[];
  retainRows: number[];
  initialNoise: FixtureTensor[];
  noiseBatch: number;
  noiseSteps: number;
  noiseLearningRate: number;
  noiseRegularization: number;
  noiseCopies: number;
  impairLearningRate: number;
  impairBatchSize: number;
  repairLearningRate: number;
  repairBatchSize: number;
  expected: { weights: FixtureTensor[]; noise: { class: number; lossBefore: number; lossAfter: number }[] };
}
interface Fixture extends FixtureModelSpec {
  data: { x: FixtureTensor; y: number[] };
  cases: Case[];
}

const fixture = readFixture<Fixture>(new URL('./fixtures/unsir-mlp.json', import.meta.url));
const TOLERANCE = 1e-5;

function relativeError(got: tf.Tensor, want: FixtureTensor): number {
  return tf.tidy(() => {
    const w = fixtureTensor(want);
    return tf.norm(tf.sub(got, w)).dataSync()[0]! / tf.norm(w).dataSync()[0]!;
  });
}

function split(keep: (label: number) => boolean) {
  const rows = fixture.data.y.flatMap((l, i) => (keep(l) ? [i] : []));
  return tf.tidy(() => {
    const idx = tf.tensor1d(rows, 'int32');
    return { x: tf.gather(fixtureTensor(fixture.data.x), idx), y: tf.tensor1d(rows.map((i) => fixture.data.y[i]!), 'int32') };
  });
}

describe('unsir matches the PyTorch float64 reference', () => {
  for (const c of fixture.cases) {
    it(`${c.name}: noise losses, and the weights after impair and repair`, async () => {
      const model = fixtureModel(fixture);
      const forget = split((l) => c.forgetClasses.includes(l));
      const retain = split((l) => !c.forgetClasses.includes(l));
      const { name: _n, expected, forgetClasses, retainRows, initialNoise, ...options } = c;
      const method = createUnsir(
        { ...options, retainPerClass: 100, shuffle: false },
        {
          retainRows,
          initialNoise: (cls, shape) => {
            expect(shape).toEqual(initialNoise[forgetClasses.indexOf(cls)]!.shape);
            return fixtureTensor(initialNoise[forgetClasses.indexOf(cls)]!);
          },
        },
      );
      const result = await unlearn(model, { forget, retain }, method, { inPlace: true });
      const noise = result.details.noise;
      expect(noise.map((n) => n.class)).toEqual(forgetClasses);
      noise.forEach((n, i) => {
        expect(Math.abs(n.lossBefore - expected.noise[i]!.lossBefore)).toBeLessThan(TOLERANCE * Math.abs(expected.noise[i]!.lossBefore));
        expect(Math.abs(n.lossAfter - expected.noise[i]!.lossAfter)).toBeLessThan(TOLERANCE * Math.abs(expected.noise[i]!.lossAfter));
      });
      const vars = toModelAdapter(model).trainable;
      expected.weights.forEach((want, i) => expect(relativeError(vars[i]!.variable, want), want.name).toBeLessThan(TOLERANCE));
      tf.dispose([forget.x, forget.y, retain.x, retain.y]);
      model.dispose();
    });
  }
});
