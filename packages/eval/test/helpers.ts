import * as tf from '@tensorflow/tfjs-core';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import { createRng, defineUnlearner, gradientsOf, sgdStep, toModelAdapter, type FunctionModel, type Unlearner } from '@unlearn/core';
import { syntheticClassification, tinyClassifier } from '@unlearn/core/testing';
import type { Probabilities } from '../src/index.js';

/** Row-major probabilities from nested arrays. */
export function probs(rows: number[][]): Probabilities {
  return { values: Float32Array.from(rows.flat()), n: rows.length, classes: rows[0]!.length };
}

/**
 * A function model whose softmax output is exactly the distribution its input row encodes:
 * feed x = ln p and it returns p, so metric tests control the model's outputs directly.
 */
export function passThroughModel(transform: (x: tf.Tensor) => tf.Tensor = (x) => x): FunctionModel {
  const dummy = tf.variable(tf.zeros([1]));
  return {
    variables: [dummy],
    apply: (x) => tf.tidy(() => tf.add(transform(x), tf.mul(dummy, 0))),
  };
}

export const logOf = (rows: number[][]) => tf.log(tf.tensor2d(rows));

/** Full-batch softmax-cross-entropy SGD, enough for the tiny blobs. */
export function fitInPlace(model: LayersModel | FunctionModel, data: { x: tf.Tensor; y: tf.Tensor }, steps: number, lr = 0.5): void {
  const adapter = toModelAdapter(model);
  const vars = adapter.trainable.map((v) => v.variable);
  const classes = adapter.numClasses ?? 3;
  for (let i = 0; i < steps; i++) {
    tf.tidy(() => {
      const { grads } = gradientsOf(
        () => tf.losses.softmaxCrossEntropy(tf.oneHot(tf.cast(data.y, 'int32') as tf.Tensor1D, classes), adapter.logits(data.x)) as tf.Scalar,
        vars,
      );
      sgdStep(vars, grads, lr);
    });
  }
}

/** Synthetic 3-class train/test sets and a tiny classifier trained on the train set. */
export function toyProblem(opts: { nTrain?: number; nTest?: number } = {}) {
  const all = syntheticClassification({ n: (opts.nTrain ?? 60) + (opts.nTest ?? 30), inputDim: 4, classes: 3, seed: 5, spread: 0.5 });
  const nTrain = opts.nTrain ?? 60;
  const nTest = opts.nTest ?? 30;
  const data = {
    train: { x: tf.slice(all.x, 0, nTrain), y: tf.slice(all.y, 0, nTrain) },
    test: { x: tf.slice(all.x, nTrain, nTest), y: tf.slice(all.y, nTrain, nTest) },
  };
  tf.dispose([all.x, all.y]);
  const model = tinyClassifier({ inputDim: 4, hidden: 8, classes: 3, seed: 2 });
  fitInPlace(model, data.train, 60);
  return {
    data,
    model,
    dispose() {
      model.dispose();
      tf.dispose([data.train.x, data.train.y, data.test.x, data.test.y]);
    },
  };
}

/**
 * A cheap stand-in for retraining: seeded re-initialisation of every weight, then full-batch SGD
 * on the retain set. `calls.count` counts how often it actually ran.
 */
export function testRetrain(opts: { steps?: number; calls?: { count: number } } = {}): Unlearner<{ steps: number }> {
  const options = { steps: opts.steps ?? 60 };
  return defineUnlearner({
    name: 'test-retrain',
    options,
    needs: { labels: true, retain: true },
    async unlearn(ctx) {
      if (opts.calls) opts.calls.count++;
      const rng = createRng(ctx.rng.uint32());
      for (const { variable } of ctx.model.trainable) {
        const values = tf.tensor(Float32Array.from({ length: variable.size }, () => (variable.rank > 1 ? (rng.next() * 2 - 1) * 0.6 : 0)), variable.shape);
        variable.assign(values);
        values.dispose();
      }
      const retain = ctx.request.retain as { x: tf.Tensor; y: tf.Tensor };
      const chunk = 20;
      for (let done = 0; done < options.steps; done += chunk) {
        ctx.throwIfAborted();
        fitInPlace(ctx.model.model as LayersModel, retain, Math.min(chunk, options.steps - done));
        ctx.progress({ phase: 'train', step: Math.min(done + chunk, options.steps), total: options.steps });
        await Promise.resolve();
      }
    },
  });
}

/** An unlearner that always throws, to test that a benchmark records failures and goes on. */
export function failingUnlearner(): Unlearner<Record<string, never>> {
  return defineUnlearner({
    name: 'test-fail',
    options: {},
    needs: {},
    async unlearn() {
      throw new Error('planned failure');
    },
  });
}

/** Gradient ascent on the forget set's cross-entropy: changes weights, cheaply. */
export function testAscent(lr = 0.2, steps = 3): Unlearner<{ lr: number; steps: number }> {
  return defineUnlearner({
    name: 'test-ascent',
    options: { lr, steps },
    needs: { labels: true },
    async unlearn(ctx) {
      const { x, y } = ctx.request.forget as { x: tf.Tensor; y: tf.Tensor };
      const vars = ctx.model.trainable.map((v) => v.variable);
      for (let step = 1; step <= steps; step++) {
        tf.tidy(() => {
          const { grads } = gradientsOf(() => {
            const logits = ctx.model.logits(x);
            return tf.neg(tf.losses.softmaxCrossEntropy(tf.oneHot(tf.cast(y, 'int32') as tf.Tensor1D, logits.shape[1]!), logits)) as tf.Scalar;
          }, vars);
          sgdStep(vars, grads, lr);
        });
        ctx.progress({ phase: 'ascent', step, total: steps });
        await Promise.resolve();
      }
    },
  });
}

export async function expectUnlearnError(promise: Promise<unknown> | (() => unknown), code: string, message?: RegExp): Promise<Error> {
  let error: unknown;
  try {
    await (typeof promise === 'function' ? promise() : promise);
  } catch (e) {
    error = e;
  }
  if (!(error instanceof Error) || (error as { code?: string }).code !== code) {
    throw new Error(`expected an UnlearnError ${code}, got ${String(error)}`);
  }
  if (message && !message.test(error.message)) throw new Error(`message "${error.message}" does not match ${message}`);
  return error;
}
