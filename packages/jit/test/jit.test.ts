import * as tf from '@tensorflow/tfjs-core';
import {
  createUnlearner,
  fromBatches,
  hashWeights,
  registeredUnlearners,
  toModelAdapter,
  unlearn,
  type FunctionModel,
  type ProgressEvent,
} from '@unlearn/core';
import { syntheticClassification, tinyClassifier, tinyCnn } from '@unlearn/core/testing';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { JIT_PRESETS, jit } from '../src/index.js';
import { fixtureModel, fixtureNoise, loadFixture } from './golden.js';

const weightsOf = (m: LayersModel) => m.getWeights().map((w) => Array.from(w.dataSync()));
const base = { sigma: 0.5, lr: 0.05, nSamples: 4, batchSize: 4 };

let model: LayersModel;
let data: { x: tf.Tensor2D; y: tf.Tensor1D };
beforeEach(() => {
  model = tinyClassifier({ inputDim: 4, classes: 3 });
  data = syntheticClassification({ n: 10, inputDim: 4, classes: 3 });
});
afterEach(() => {
  model.dispose();
  tf.dispose([data.x, data.y]);
});

async function run(options: Parameters<typeof jit>[0], forget: Parameters<typeof unlearn>[1]['forget'] = { x: data.x }, seed = 1) {
  const result = await unlearn(model, { forget }, jit(options), { seed });
  const weights = weightsOf(result.model as LayersModel);
  (result.model as LayersModel).dispose();
  return { result, weights };
}

describe('registration and options', () => {
  it('is registered as "jit" and built by name', () => {
    const info = registeredUnlearners().find((m) => m.name === 'jit');
    expect(info?.source).toBe('@unlearn/jit');
    expect(info?.defaults).toMatchObject({ sigma: JIT_PRESETS['mnist-cnn'].sigma, lr: JIT_PRESETS['mnist-cnn'].lr, nSamples: 25 });
    const method = createUnlearner('jit', { sigma: 0.3 });
    expect(method.name).toBe('jit');
    expect(method.options.sigma).toBe(0.3);
    expect(method.needs).toEqual({});
  });

  it('defaults to the MNIST preset, N = 25, batch 128, one epoch, per-batch gradients, inference mode', () => {
    expect(jit().options).toMatchObject({
      sigma: JIT_PRESETS['mnist-cnn'].sigma,
      lr: JIT_PRESETS['mnist-cnn'].lr,
      nSamples: 25,
      batchSize: 128,
      epochs: 1,
      accumulateGradients: false,
      training: false,
      preset: 'mnist-cnn',
    });
  });

  it('takes a preset and lets explicit options override it', () => {
    expect(jit({ preset: 'r1-fullclass-vgg' }).options).toMatchObject({ sigma: 0.5, lr: 3e-4, batchSize: 128 });
    expect(jit({ preset: 'r1-subclass-vgg', lr: 1e-2 }).options).toMatchObject({ sigma: 0.01, lr: 1e-2, batchSize: 64 });
    expect(jit({ preset: 'r1-fullclass-vit', sigma: undefined }).options.sigma).toBe(0.8);
    for (const preset of Object.values(JIT_PRESETS)) expect(preset.source).toMatch(/\S/);
  });
});

describe('what jit computes', () => {
  it('changes the weights deterministically per seed, and differently for another seed', async () => {
    const a = await run(base, { x: data.x }, 1);
    const b = await run(base, { x: data.x }, 1);
    const c = await run(base, { x: data.x }, 2);
    expect(a.weights).toEqual(b.weights);
    expect(a.weights).not.toEqual(c.weights);
    expect(a.weights).not.toEqual(weightsOf(model));
  });

  it('ignores labels: the same result with and without y', async () => {
    const withLabels = await run(base, { x: data.x, y: data.y });
    const without = await run(base, { x: data.x });
    expect(withLabels.weights).toEqual(without.weights);
  });

  it('reports one loss per batch, per epoch, in progress events and details', async () => {
    const events: ProgressEvent[] = [];
    const result = await unlearn(model, { forget: { x: data.x } }, jit({ ...base, epochs: 2 }), { onProgress: (e) => events.push(e) });
    (result.model as LayersModel).dispose();
    const losses = result.details.losses;
    expect(losses).toHaveLength(6); // ceil(10 / 4) = 3 batches, 2 epochs
    expect(result.details).toMatchObject({ steps: 6, epochs: 2, forwardPasses: 6 * 5 });
    expect(events.map((e) => e.step)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(events.every((e) => e.phase === 'jit' && e.total === 6)).toBe(true);
    expect(events.map((e) => e.metrics?.loss)).toEqual(losses);
    expect(events.map((e) => e.metrics?.epoch)).toEqual([1, 1, 1, 2, 2, 2]);
    losses.forEach((l) => expect(l).toBeGreaterThan(0));
  });

  it('lowers the Lipschitz loss it minimises (same batches and noise, second pass vs first)', async () => {
    const f = loadFixture('jit-mlp');
    const net = fixtureModel(f);
    const x = tf.tensor(f.forget.values, f.forget.shape);
    const noise = fixtureNoise(f);
    try {
      const result = await unlearn(
        net,
        { forget: { x } },
        jit({ sigma: f.sigma, lr: f.lr, nSamples: f.nSamples, batchSize: f.batchSize, epochs: 2, noise: (b, n, s) => noise(b % 3, n, s) }),
        { inPlace: true },
      );
      const losses = result.details.losses;
      for (let i = 0; i < 3; i++) expect(losses[i + 3]!).toBeLessThan(losses[i]!);
    } finally {
      net.dispose();
      x.dispose();
    }
  });

  it('accumulated gradients equal per-batch gradients for one batch and differ from the second batch on', async () => {
    const one = { ...base, batchSize: 16 };
    expect((await run({ ...one, accumulateGradients: true })).weights).toEqual((await run(one)).weights);
    const perBatch = await run(base);
    const accumulated = await run({ ...base, accumulateGradients: true });
    expect(accumulated.weights).not.toEqual(perBatch.weights);
    expect(accumulated.result.details.losses[0]).toBe(perBatch.result.details.losses[0]);
  });

  it('gives the same result however the noisy forwards are chunked', async () => {
    const reference = await run({ ...base, chunkSize: 1024 });
    for (const chunkSize of [1, 3, 8]) {
      const chunked = await run({ ...base, chunkSize });
      chunked.weights.forEach((w, i) => w.forEach((v, j) => expect(v).toBeCloseTo(reference.weights[i]![j]!, 6)));
      chunked.result.details.losses.forEach((l, i) =>
        expect(l).toBeCloseTo(reference.result.details.losses[i]!, 4),
      );
    }
  });

  it('leaves the weights exactly unchanged, without NaN, on constant inputs (min == max)', async () => {
    const constant = tf.fill([6, 4], 0.7);
    try {
      const { result, weights } = await run(base, { x: constant });
      expect(weights).toEqual(weightsOf(model));
      expect(result.details.losses).toEqual([0, 0]);
      expect(result.changes.every((c) => c.changed === 0)).toBe(true);
    } finally {
      constant.dispose();
    }
  });

  it('accepts a streamed forget set and matches the in-memory result', async () => {
    const stream = fromBatches(
      async function* (batchSize) {
        for (let start = 0; start < 10; start += batchSize) {
          yield { x: tf.slice(data.x, start, Math.min(batchSize, 10 - start)) };
        }
      },
      { size: 10, hasLabels: false },
    );
    const streamed = await run(base, stream);
    const inMemory = await run(base);
    expect(streamed.weights).toEqual(inMemory.weights);
  });

  it('checks the shape of streamed batches', async () => {
    const stream = fromBatches(
      async function* () {
        yield { x: tf.zeros([2, 5]) };
      },
      { hasLabels: false },
    );
    const before = await hashWeights(toModelAdapter(model));
    await expect(unlearn(model, { forget: stream }, jit(base), { inPlace: true })).rejects.toMatchObject({
      code: 'SHAPE_MISMATCH',
      message: expect.stringMatching(/jit: forget\.x has sample shape \[5\]/),
    });
    expect(await hashWeights(toModelAdapter(model))).toBe(before);
  });

  it('rejects a stream that yields nothing', async () => {
    const empty = fromBatches(async function* () {}, { hasLabels: false });
    await expect(unlearn(model, { forget: empty }, jit(base))).rejects.toMatchObject({
      code: 'EMPTY_DATASET',
      message: expect.stringMatching(/jit: the forget set is empty \(its stream yielded no samples\)/),
      split: 'forget',
      field: 'x',
    });
  });

  it('works on a CNN and keeps tensor counts flat', async () => {
    const cnn = tinyCnn({ size: 8, classes: 3 });
    const x = tf.randomUniform([5, 8, 8, 1], 0, 1, 'float32', 2);
    try {
      const first = await unlearn(cnn, { forget: { x } }, jit({ ...base, sigma: 0.1 }));
      (first.model as LayersModel).dispose();
      const before = tf.memory().numTensors;
      const second = await unlearn(cnn, { forget: { x } }, jit({ ...base, sigma: 0.1, accumulateGradients: true, chunkSize: 3 }));
      (second.model as LayersModel).dispose();
      expect(tf.memory().numTensors).toBe(before);
      expect(second.changes.some((c) => c.changed > 0)).toBe(true);
    } finally {
      cnn.dispose();
      x.dispose();
    }
  });
});

describe('forward passes', () => {
  /** A function model that records the rows and mode of every forward pass. */
  function recordingModel(): { model: FunctionModel; calls: { rows: number; training: boolean }[] } {
    const w = tf.variable(tf.tensor2d([0.5, -0.2, 0.1, 0.3, 0.7, -0.4, 0.2, 0.1], [4, 2]));
    const calls: { rows: number; training: boolean }[] = [];
    return {
      calls,
      model: {
        variables: [w],
        inputShape: [4],
        apply(x, { training }) {
          calls.push({ rows: x.shape[0]!, training });
          return tf.matMul(x as tf.Tensor2D, w);
        },
      },
    };
  }

  it('never evaluates more than chunkSize noisy rows at once, and needs one clean forward per batch', async () => {
    const cases = [
      { chunkSize: 3, noisyRows: [3, 3, 2, 3, 3, 2, 3, 3, 2] }, // each draw of 8 rows split 3+3+2
      { chunkSize: 16, noisyRows: [16, 8] }, // two whole draws, then the last
      { chunkSize: 'auto' as const, noisyRows: [24] }, // 4 values per sample: all 3 draws together
    ];
    const x = tf.randomNormal([8, 4], 0, 1, 'float32', 4);
    try {
      for (const { chunkSize, noisyRows } of cases) {
        const { model: fm, calls } = recordingModel();
        await unlearn(fm, { forget: { x } }, jit({ ...base, nSamples: 3, batchSize: 8, chunkSize }), { inPlace: true });
        expect(calls.map((c) => c.rows)).toEqual([...noisyRows, 8]);
        fm.variables.forEach((v) => v.dispose());
      }
    } finally {
      x.dispose();
    }
  });

  it("sizes 'auto' chunks by input values: 2^19 per forward", async () => {
    const perSample = 2 ** 17; // 4 samples per forward
    const w = tf.variable(tf.fill([perSample, 2], 1e-3));
    const calls: number[] = [];
    const fm: FunctionModel = {
      variables: [w],
      inputShape: [perSample],
      apply: (x) => (calls.push(x.shape[0]!), tf.matMul(x as tf.Tensor2D, w)),
    };
    const x = tf.randomUniform([6, perSample], 0, 1, 'float32', 5);
    try {
      await unlearn(fm, { forget: { x } }, jit({ ...base, nSamples: 2, batchSize: 6 }), { inPlace: true });
      expect(calls).toEqual([4, 2, 4, 2, 6]);
    } finally {
      x.dispose();
      w.dispose();
    }
  });

  it('runs every forward in inference mode by default and in training mode, one draw per forward, on request', async () => {
    const x = tf.randomNormal([8, 4], 0, 1, 'float32', 4);
    try {
      for (const training of [false, true]) {
        const { model: fm, calls } = recordingModel();
        await unlearn(fm, { forget: { x } }, jit({ ...base, nSamples: 3, batchSize: 8, training }), { inPlace: true });
        expect(calls.every((c) => c.training === training)).toBe(true);
        expect(calls.map((c) => c.rows)).toEqual(training ? [8, 8, 8, 8] : [24, 8]);
        fm.variables.forEach((v) => v.dispose());
      }
    } finally {
      x.dispose();
    }
  });
});
