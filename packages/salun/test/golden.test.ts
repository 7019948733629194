import * as tf from '@tensorflow/tfjs-core';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import { defineUnlearner, toModelAdapter, unlearn } from '@unlearn/core';
import { fixtureModel, fixtureTensor, readFixture, relativeError, type FixtureModelSpec, type FixtureTensor } from '@unlearn/golden';
import { describe, expect, it } from 'vitest';
import { saliencyMask, SALUN_OPTIONS, type SalunOptions } from '../src/index.js';
import { runSalun } from '../src/run.js';

// Expected values: the float64 reference in scripts/golden/make_salun_fixture.py
// (docs/algorithms/salun.md, The math in short), on the fixture MLP with the fixture's per-epoch
// random wrong labels injected, shuffling off. The mask must match exactly (the reference's
// relative margin between the last weight in and the first out is about 5e-2, far above float32
// rounding) and its threshold within 1e-5; the weight change Δ = w_end − w_start within 1e-4
// relative L2 per variable (float32 against float64; measured about 4e-7 for SGD and 1.2e-5 for
// Adam, whose early steps divide by |g|); weights outside the mask bit-identical; the epoch losses
// within 1e-5 relative.
interface Case {
  order: 'alternate' | 'concat';
  optimizer: 'adam' | 'sgd';
  learningRate: number;
  momentum: number;
  weightDecay: number;
  epochs: number;
  expected: { weights: FixtureTensor[]; epochLosses: Record<string, number>[] };
}
interface Fixture extends FixtureModelSpec {
  forget: { x: FixtureTensor; y: FixtureTensor };
  retain: { x: FixtureTensor; y: FixtureTensor };
  wrongLabels: FixtureTensor[];
  batchSize: number;
  fraction: number;
  saliency: { gradient: FixtureTensor[]; mask: FixtureTensor[]; selected: number; threshold: number };
  cases: Case[];
}

const f = readFixture<Fixture>(new URL('./fixtures/salun-mlp.json', import.meta.url));
const labelled = (p: Fixture['forget']) => ({ x: fixtureTensor(p.x), y: tf.tensor1d(p.y.values, 'int32') });
const close = (got: number, want: number, tol: number) => expect(Math.abs(got - want) / Math.abs(want)).toBeLessThan(tol);

describe('SalUn parity with the PyTorch reference (fixture MLP)', () => {
  it('selects the same saliency mask, ranked over the whole model', async () => {
    const model = fixtureModel(f);
    const forget = labelled(f.forget);
    const mask = await saliencyMask(toModelAdapter(model), forget, { fraction: f.fraction, batchSize: f.batchSize });
    expect(mask.selected).toBe(f.saliency.selected);
    close(mask.threshold, f.saliency.threshold, 1e-5);
    for (const [i, m] of mask.masks.entries()) expect(Array.from(await m.data()), f.saliency.mask[i]!.name).toEqual(f.saliency.mask[i]!.values);
    tf.dispose([...mask.masks, forget.x, forget.y]);
    model.dispose();
  });

  it.each(f.cases.map((c) => [`${c.order}, ${c.optimizer}`, c] as const))('%s: same weights and epoch losses as the float64 reference', async (_name, c) => {
    const model = fixtureModel(f);
    const forget = labelled(f.forget);
    const retain = labelled(f.retain);
    const wrong = f.wrongLabels.map((w) => tf.tensor1d(w.values, 'int32'));
    const { expected: _expected, ...spec } = c;
    const options: SalunOptions = SALUN_OPTIONS.resolve({ ...spec, fraction: f.fraction, batchSize: f.batchSize, shuffle: false, checkEvery: 1 });
    const method = defineUnlearner({
      name: 'salun',
      options,
      needs: { labels: true, retain: true },
      unlearn: (ctx) => runSalun(ctx, options, async (epoch) => wrong[epoch]!),
    });
    const result = await unlearn(model, { forget, retain }, method);
    const after = await Promise.all(toModelAdapter(result.model).trainable.map((v) => v.variable.data()));
    f.weights.forEach((w0, i) => {
      const want = c.expected.weights[i]!.values.map((v, j) => v - w0.values[j]!);
      const got = Array.from(after[i]!, (v, j) => v - w0.values[j]!);
      expect(relativeError(got, want), `Δ ${w0.name}`).toBeLessThan(1e-4);
      // Weights outside the mask are exactly where they started.
      f.saliency.mask[i]!.values.forEach((m, j) => m === 0 && expect(after[i]![j]).toBe(Math.fround(w0.values[j]!)));
    });
    const history: Record<string, number | undefined>[] = result.details.history;
    c.expected.epochLosses.forEach((want, e) => {
      for (const [key, value] of Object.entries(want)) close(history[e]![key]!, value, 1e-5);
    });
    (result.model as LayersModel).dispose();
    model.dispose();
    tf.dispose([forget.x, forget.y, retain.x, retain.y, ...wrong]);
  });
});
