import * as tf from '@tensorflow/tfjs-core';
import { createUnlearner, fromBatches, gradientsOf, toModelAdapter, topOneAccuracy, unlearn, type ProgressEvent } from '@unlearn/core';
import { syntheticClassification, tinyClassifier } from '@unlearn/core/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { finetune, retrain } from '../src/index.js';
import { hash, values } from './helpers.js';

// Three Gaussian blobs; class 2 is the one to forget. Separate draws for training and testing.
const train = syntheticClassification({ n: 240, inputDim: 8, classes: 3, seed: 4 });

function splitOff(data: { x: tf.Tensor2D; y: tf.Tensor1D }, cls: number) {
  const labels = data.y.dataSync();
  const pick = (keep: (l: number) => boolean) => {
    const idx = tf.tensor1d([...labels.keys()].filter((i) => keep(labels[i]!)), 'int32');
    const out = { x: tf.gather(data.x, idx), y: tf.gather(data.y, idx) };
    idx.dispose();
    return out;
  };
  return { forget: pick((l) => l === cls), retain: pick((l) => l !== cls) };
}
// The blob centres depend on the seed, so use the train draw's centres for the test set too.
const trainSplit = splitOff(train, 2);
const testDraw = syntheticClassification({ n: 390, inputDim: 8, classes: 3, seed: 4 });
const heldOut = {
  x: tf.slice(testDraw.x, 240, 150),
  y: tf.slice(testDraw.y, 240, 150),
};
const testSplit = splitOff(heldOut, 2);
const request = { forget: trainSplit.forget, retain: trainSplit.retain };

afterAll(() =>
  tf.dispose([train, testDraw, heldOut, trainSplit.forget, trainSplit.retain, testSplit.forget, testSplit.retain].flatMap((d) => [d.x, d.y])),
);

describe('retrain', () => {
  it('learns the retain classes from scratch and never predicts the forgotten one (>= 95% retain, <= 5% forget, held out)', async () => {
    const model = tinyClassifier({ inputDim: 8, classes: 3, seed: 1 });
    const result = await unlearn(model, request, retrain({ epochs: 8, batchSize: 16, learningRate: 0.01 }), { seed: 2 });
    const retainAcc = await topOneAccuracy(toModelAdapter(result.model), testSplit.retain);
    const forgetAcc = await topOneAccuracy(toModelAdapter(result.model), testSplit.forget);
    expect(retainAcc).toBeGreaterThanOrEqual(0.95);
    expect(forgetAcc).toBeLessThanOrEqual(0.05);
    const history = result.details.history as { loss: number }[];
    expect(history).toHaveLength(8);
    expect(history[7]!.loss).toBeLessThan(history[0]!.loss / 4);
    expect(result.details.reinit).toBe('all');
    expect(result.details.batches).toBe(8 * Math.ceil(160 / 16));
    result.model.dispose();
    model.dispose();
  });

  it('gives identical weights for the same seed and different weights for another', async () => {
    const model = tinyClassifier({ inputDim: 8, classes: 3 });
    const method = () => retrain({ epochs: 2, batchSize: 32 });
    const [a, b, c] = [await unlearn(model, request, method(), { seed: 5 }), await unlearn(model, request, method(), { seed: 5 }), await unlearn(model, request, method(), { seed: 6 })];
    expect(await hash(a.model)).toBe(await hash(b.model));
    expect(await hash(a.model)).not.toBe(await hash(c.model));
    [a, b, c].forEach((r) => r.model.dispose());
    model.dispose();
  });

  it('reports progress per batch and per epoch with epoch, loss, lr and eta', async () => {
    const model = tinyClassifier({ inputDim: 8, classes: 3 });
    const events: ProgressEvent[] = [];
    const result = await unlearn(model, request, retrain({ epochs: 2, batchSize: 40, learningRate: 0.005 }), { onProgress: (e) => events.push(e) });
    const perEpoch = events.filter((e) => e.metrics?.epochsDone !== undefined);
    const perBatch = events.filter((e) => e.metrics?.epochsDone === undefined);
    expect(perBatch).toHaveLength(2 * 4);
    expect(perEpoch.map((e) => e.metrics!.epochsDone)).toEqual([1, 2]);
    for (const e of events) {
      expect(e.phase).toBe('train');
      expect(e.total).toBe(8);
      expect(Object.keys(e.metrics!)).toEqual(expect.arrayContaining(['epoch', 'loss', 'lr', 'etaMs']));
      expect(Number.isFinite(e.metrics!.loss)).toBe(true);
      expect(e.metrics!.lr).toBe(0.005);
    }
    expect(perBatch.map((e) => e.step)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(perEpoch.at(-1)!.metrics!.etaMs).toBe(0);
    result.model.dispose();
    model.dispose();
  });

  it('registers retrain and finetune, with the project defaults', () => {
    const r = createUnlearner('retrain', { epochs: 3 });
    expect(r.options).toMatchObject({ epochs: 3, optimizer: 'adam', learningRate: 1e-3, batchSize: 64, reinit: 'all' });
    const f = createUnlearner('finetune');
    expect(f.options).toMatchObject({ epochs: 5, optimizer: 'sgd', learningRate: 0.02, momentum: 0.9, weightDecay: 5e-4, schedule: { kind: 'constant' } });
  });

  it('trains on a streamed retain set', async () => {
    const stream = fromBatches(
      async function* (batchSize) {
        for (let start = 0; start < 160; start += batchSize) {
          const size = Math.min(batchSize, 160 - start);
          yield { x: tf.slice(trainSplit.retain.x, start, size), y: tf.slice(trainSplit.retain.y, start, size) };
        }
      },
      { size: 160, hasLabels: true },
    );
    const model = tinyClassifier({ inputDim: 8, classes: 3 });
    const result = await unlearn(model, { forget: trainSplit.forget, retain: stream }, retrain({ epochs: 6, batchSize: 16, learningRate: 0.01 }));
    expect(await topOneAccuracy(toModelAdapter(result.model), testSplit.retain)).toBeGreaterThanOrEqual(0.95);
    result.model.dispose();
    model.dispose();
  });
});

describe('early stopping', () => {
  it('stops after `patience` epochs without improvement and restores the best epoch', async () => {
    // Validation labels 0 and 1 swapped: the better the model learns the task, the worse
    // its validation loss, so the first epoch is the best and the second already worse.
    const wrong = { x: testSplit.retain.x, y: tf.tidy(() => tf.cast(tf.mod(tf.add(testSplit.retain.y, 1), 2), 'int32')) };
    const model = tinyClassifier({ inputDim: 8, classes: 3 });
    const opts = { epochs: 6, batchSize: 16, learningRate: 0.01 };
    const stopped = await unlearn(model, { ...request, validation: wrong }, retrain({ ...opts, patience: 1 }), { seed: 3 });
    const oneEpoch = await unlearn(model, request, retrain({ ...opts, epochs: 1 }), { seed: 3 });
    expect(stopped.details).toMatchObject({ stoppedEarly: true, bestEpoch: 1, epochsRun: 2 });
    const history = stopped.details.history as { valLoss: number; valAccuracy: number }[];
    expect(history[1]!.valLoss).toBeGreaterThan(history[0]!.valLoss);
    expect(await hash(stopped.model)).toBe(await hash(oneEpoch.model));
    tf.dispose([wrong.y]);
    [stopped, oneEpoch].forEach((r) => r.model.dispose());
    model.dispose();
  });
});

describe('finetune', () => {
  it('starts from the given weights: one full-batch step is θ − lr·(∇L + wd·θ)', async () => {
    const model = tinyClassifier({ inputDim: 8, classes: 3, seed: 8 });
    const adapter = toModelAdapter(model);
    const vars = adapter.trainable.map((v) => v.variable);
    const expected = tf.tidy(() => {
      const { value, grads } = gradientsOf(() => {
        const logits = adapter.logits(trainSplit.retain.x, { training: true });
        return tf.losses.softmaxCrossEntropy(tf.oneHot(trainSplit.retain.y, 3), logits) as tf.Scalar;
      }, vars);
      value.dispose();
      return vars.map((v, i) => tf.sub(v, tf.mul(tf.add(grads[i]!, tf.mul(v, 5e-4)), 0.02)).dataSync() as Float32Array);
    });
    const result = await unlearn(model, request, finetune({ epochs: 1, batchSize: 160, shuffle: false }));
    const got = await values(result.model);
    expected.forEach((e, i) => e.forEach((v, j) => expect(got[i]![j]).toBeCloseTo(v, 6)));
    expect(result.details).toMatchObject({ epochsRun: 1, batches: 1 });
    result.model.dispose();
    model.dispose();
  });

  it('keeps what the model knew: fine-tuning a retrained model stays accurate on the retain classes', async () => {
    const model = tinyClassifier({ inputDim: 8, classes: 3 });
    const base = await unlearn(model, request, retrain({ epochs: 6, batchSize: 16, learningRate: 0.01 }));
    const tuned = await unlearn(base.model, request, finetune({ epochs: 1, batchSize: 16 }));
    expect(await topOneAccuracy(toModelAdapter(tuned.model), testSplit.retain)).toBeGreaterThanOrEqual(0.95);
    [base, tuned].forEach((r) => r.model.dispose());
    model.dispose();
  });
});
