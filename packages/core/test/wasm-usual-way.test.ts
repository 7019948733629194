import '@tensorflow/tfjs-backend-wasm';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, describe, expect, it } from 'vitest';
import { registerWasmTrainingKernels, unregisterWasmTrainingKernels } from '../src/backend/wasm/index.js';
import { crossEntropyGradients, defineUnlearner, sgdStep, toModelAdapter, unlearn } from '../src/index.js';
import { tinyCnn } from '../src/testing/index.js';

const previous = tf.getBackend();
afterAll(async () => {
  registerWasmTrainingKernels();
  await tf.setBackend(previous);
});

/** One cross-entropy SGD step: it needs Conv2DBackpropFilter, which tfjs-backend-wasm 4.22 lacks. */
const oneStep = defineUnlearner({
  name: 'one-step',
  options: {},
  needs: { labels: true },
  async unlearn(ctx) {
    const { x, y } = ctx.request.forget as { x: tf.Tensor; y: tf.Tensor };
    const { loss, grads } = crossEntropyGradients(ctx.model, x, y, false);
    sgdStep(ctx.model.trainable.map((v) => v.variable), grads, 0.1);
    tf.dispose([loss, ...grads]);
  },
});

function cnnCase() {
  const model = tinyCnn({ size: 8, classes: 3 });
  const x = tf.randomUniform([4, 8, 8, 1], 0, 1, 'float32', 3);
  const y = tf.tensor1d([0, 1, 2, 0], 'int32');
  const dispose = () => {
    model.dispose();
    tf.dispose([x, y]);
  };
  return { model, x, y, dispose };
}

describe('wasm chosen the usual tfjs way (tf.setBackend), not through selectBackend', () => {
  it('tf.setBackend("wasm") itself brings the training kernels, so a CNN gradient runs outside unlearn() too', async () => {
    // tfjs-backend-wasm was imported after core, so nothing was registered at core's import.
    expect(tf.getKernel('Conv2DBackpropFilter', 'wasm')).toBeUndefined();
    expect(await tf.setBackend('wasm')).toBe(true);
    expect(tf.getKernel('Conv2DBackpropFilter', 'wasm')).toBeDefined();
    const { model, x, y, dispose } = cnnCase();
    const gradient = tf.grad((input: tf.Tensor) => tf.sum(model.apply(input) as tf.Tensor))(x);
    expect(gradient.shape).toEqual([4, 8, 8, 1]);
    const { loss, grads } = crossEntropyGradients(toModelAdapter(model), x, y, false);
    expect(grads.length).toBe(model.trainableWeights.length);
    tf.dispose([gradient, loss, ...grads]);
    dispose();
  });

  it('kernels removed by hand stay removed until unlearn(), which registers them again and says so', async () => {
    unregisterWasmTrainingKernels();
    await tf.setBackend('cpu');
    expect(await tf.setBackend('wasm')).toBe(true);
    expect(tf.getKernel('Conv2DBackpropFilter', 'wasm')).toBeUndefined();
    const { model, x, y, dispose } = cnnCase();
    const messages: string[] = [];
    const result = await unlearn(model, { forget: { x, y } }, oneStep, {
      logger: { debug() {}, info: (m) => messages.push(m), warn() {} },
    });
    expect(result.backend).toBe('wasm');
    expect(result.changes.some((c) => c.changed > 0)).toBe(true);
    expect(tf.getKernel('Conv2DBackpropFilter', 'wasm')).toBeDefined();
    expect(messages.join('\n')).toMatch(/registered the training kernels .*Conv2DBackpropFilter/);
    result.model.dispose();
    dispose();
  });
});
