import * as tf from '@tensorflow/tfjs-core';
import { unlearn } from '@unlearn/core';
import { describe, expect, it } from 'vitest';
import { jit, type JitOptions } from '../src/index.js';
import { fixtureModel, fixtureNoise, loadFixture, relativeError } from './golden.js';

// Expected weights and losses come from the float64 PyTorch reference implementation in
// scripts/golden/make_fixtures.py (see scripts/golden/README.md), fed the same weights, forget
// inputs and noise ε. This side runs in float32; the reference's own float32 rerun stays within
// ~2e-7 of float64, so 1e-5 leaves room for summation order only.
const TOLERANCE = 1e-5;

const modes = [
  ['perBatch', false],
  ['accumulated', true],
] as const;

async function runFixture(name: string, accumulateGradients: boolean, extra: Partial<JitOptions> = {}) {
  const f = loadFixture(name);
  const model = fixtureModel(f);
  const x = tf.tensor(f.forget.values, f.forget.shape, 'float32');
  try {
    const result = await unlearn(
      model,
      { forget: { x } },
      jit({ sigma: f.sigma, lr: f.lr, nSamples: f.nSamples, batchSize: f.batchSize, accumulateGradients, noise: fixtureNoise(f), ...extra }),
      { inPlace: true },
    );
    const weights = model.getWeights().map((w) => Array.from(w.dataSync()));
    return { f, weights, losses: result.details.losses };
  } finally {
    model.dispose();
    x.dispose();
  }
}

describe.each(['jit-mlp', 'jit-cnn'])('golden parity with the PyTorch reference: %s', (name) => {
  it.each(modes)('%s: updated weights and per-batch losses match', async (mode, accumulateGradients) => {
    const { f, weights, losses } = await runFixture(name, accumulateGradients);
    const expected = f.expected[mode];
    expect(losses).toHaveLength(3);
    losses.forEach((loss, i) => expect(Math.abs(loss - expected.losses[i]!) / expected.losses[i]!).toBeLessThan(TOLERANCE));
    expected.weights.forEach((w, i) => {
      expect(w.name).toBe(f.weights[i]!.name);
      expect(relativeError(weights[i]!, w.values), w.name).toBeLessThan(TOLERANCE);
    });
    // The step really moved the weights, so matching them is not matching the start point.
    const moved = f.weights.map((w, i) => relativeError(weights[i]!, w.values));
    expect(Math.max(...moved)).toBeGreaterThan(100 * TOLERANCE);
  });

  it.each([
    ['chunks of 3 rows (draws split across forwards)', { chunkSize: 3 }],
    ['chunks of 2 whole draws', { chunkSize: 8 }],
    ['training mode (one forward per draw; no dropout in this model)', { training: true }],
  ] as const)('the same result with %s', async (_label, extra) => {
    const { f, weights, losses } = await runFixture(name, false, extra);
    losses.forEach((loss, i) => expect(Math.abs(loss - f.expected.perBatch.losses[i]!) / f.expected.perBatch.losses[i]!).toBeLessThan(TOLERANCE));
    f.expected.perBatch.weights.forEach((w, i) => expect(relativeError(weights[i]!, w.values)).toBeLessThan(TOLERANCE));
  });
});

describe('golden: constant forget batches (min == max)', () => {
  it.each(modes)('%s: loss 0, no NaN, weights exactly unchanged', async (mode, accumulateGradients) => {
    const { f, weights, losses } = await runFixture('jit-constant', accumulateGradients);
    expect(losses).toEqual(f.expected[mode].losses);
    f.weights.forEach((w, i) => expect(weights[i]).toEqual(Array.from(Float32Array.from(w.values))));
  });
});
