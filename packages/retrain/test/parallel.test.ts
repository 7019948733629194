import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { crossEntropyGradients, toModelAdapter, unlearn } from '@unlearn/core';
import { closeReplicaWorkers } from '@unlearn/core/node';
import { seedWeights, syntheticClassification, tinyCnn } from '@unlearn/core/testing';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import { afterAll, describe, expect, it } from 'vitest';
import { stepThreads, splitBatchGradients } from '../src/parallel-step.js';
import { finetune, retrain } from '../src/index.js';

afterAll(() => closeReplicaWorkers());

function images(n: number, seed: number) {
  return tf.tidy(() => ({
    x: tf.randomUniform([n, 8, 8, 1], 0, 1, 'float32', seed),
    y: tf.tensor1d(Array.from({ length: n }, (_, i) => (i * 7) % 3), 'int32'),
  }));
}

const maxRelative = async (a: tf.Tensor, b: tf.Tensor) => {
  const [x, y] = [await a.data(), await b.data()];
  let worst = 0;
  for (let i = 0; i < x.length; i++) worst = Math.max(worst, Math.abs(x[i]! - y[i]!) / Math.max(1e-3, Math.abs(y[i]!)));
  return worst;
};

describe('a training step split between threads', () => {
  it('gives the full-batch loss and gradient (within 1e-5 relative) on 2 and 3 threads, the rows split unevenly', async () => {
    const model = toModelAdapter(tinyCnn({ size: 8, filters: 4, classes: 3 }));
    const { x, y } = images(23, 1);
    const full = crossEntropyGradients(model, x, y);
    for (const count of [2, 3]) {
      const threads = await stepThreads(model, count);
      expect(threads.threads).toBe(count);
      const before = tf.memory().numTensors;
      const split = await splitBatchGradients(model, x, y, threads);
      expect(await maxRelative(split.loss, full.loss)).toBeLessThan(1e-5);
      for (let i = 0; i < full.grads.length; i++) expect(await maxRelative(split.grads[i]!, full.grads[i]!)).toBeLessThan(1e-5);
      tf.dispose([split.loss, ...split.grads]);
      expect(tf.memory().numTensors).toBe(before);
      threads.session!.close();
    }
    tf.dispose([full.loss, ...full.grads, x, y]);
    model.dispose();
  });

  it('keeps models with batch statistics on one thread, and says why', async () => {
    const model = tfl.sequential({
      layers: [tfl.layers.dense({ inputShape: [4], units: 4 }), tfl.layers.batchNormalization(), tfl.layers.dense({ units: 3 })],
    });
    expect(await stepThreads(toModelAdapter(model), 2)).toEqual({
      threads: 1,
      reason: 'the model has state updated in training (e.g. batch normalisation)',
    });
    model.dispose();
  });
});

describe('retrain and finetune on several threads', () => {
  it('train as on one thread (weights within 1e-4 relative after 3 epochs) and report the threads', async () => {
    const data = syntheticClassification({ n: 60, inputDim: 6, classes: 3, seed: 2 });
    const build = () => {
      const m = tfl.sequential({ layers: [tfl.layers.dense({ inputShape: [6], units: 8, activation: 'relu' }), tfl.layers.dense({ units: 3 })] });
      seedWeights(m, 3);
      return m;
    };
    const request = { forget: { x: tf.slice(data.x, 0, 5) }, retain: data };
    const weightsOf = async (options: { threads?: number }, method: 'retrain' | 'finetune') => {
      const model = build();
      const recipe = { epochs: 3, batchSize: 16, learningRate: 0.01, ...options };
      const result = await unlearn(model, request, method === 'retrain' ? retrain(recipe) : finetune(recipe), { seed: 5 });
      const out = result.model as LayersModel;
      const weights = out.getWeights().map((w) => tf.keep(w.clone()));
      out.dispose();
      model.dispose();
      return { weights, threads: result.details.threads };
    };
    for (const method of ['retrain', 'finetune'] as const) {
      const one = await weightsOf({}, method);
      const two = await weightsOf({ threads: 2 }, method);
      expect(one.threads).toBe(1);
      expect(two.threads).toBe(2);
      for (let i = 0; i < one.weights.length; i++) expect(await maxRelative(two.weights[i]!, one.weights[i]!)).toBeLessThan(1e-4);
      tf.dispose([...one.weights, ...two.weights]);
    }
    tf.dispose([data.x, data.y, request.forget.x]);
  });

  it('an abort mid-training on two threads leaves the model as it was', async () => {
    const model = tinyCnn({ size: 8, filters: 4, classes: 3 });
    const data = images(48, 4);
    const before = model.getWeights().map((w) => Array.from(w.dataSync()));
    const controller = new AbortController();
    const forget = { x: tf.slice(data.x, 0, 4) };
    const run = unlearn(model, { forget, retain: data }, finetune({ epochs: 2, batchSize: 8, threads: 2 }), {
      inPlace: true,
      signal: controller.signal,
      onProgress: (e) => e.step === 3 && controller.abort(),
    });
    await expect(run).rejects.toMatchObject({ code: 'ABORTED' });
    model.getWeights().forEach((w, i) => expect(Array.from(w.dataSync())).toEqual(before[i]));
    tf.dispose([data.x, data.y, forget.x]);
    model.dispose();
  });

  it('rejects a threads count that is not a positive integer, and the former name workers', () => {
    expect(() => retrain({ threads: 0 }).validate?.()).toThrow(/threads/);
    // The former name is refused with the new one.
    expect(() => retrain({ workers: 2 } as never).validate?.()).toThrow(/unknown option "workers"; it is now called "threads"/);
  });
});
