import '@tensorflow/tfjs-backend-wasm';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, describe, expect, it } from 'vitest';
import { registerWasmTrainingKernels, unregisterWasmTrainingKernels } from '../src/backend/wasm/index.js';
import { crossEntropyGradients, defineUnlearner, sgdStep, unlearn } from '../src/index.js';
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

describe('wasm chosen the usual tfjs way (tf.setBackend), not through selectBackend', () => {
  it('unlearn() registers the training kernels first, so a CNN gradient runs', async () => {
    unregisterWasmTrainingKernels();
    expect(await tf.setBackend('wasm')).toBe(true);
    expect(tf.getKernel('Conv2DBackpropFilter', 'wasm')).toBeUndefined();
    const model = tinyCnn({ size: 8, classes: 3 });
    const x = tf.randomUniform([4, 8, 8, 1], 0, 1, 'float32', 3);
    const y = tf.tensor1d([0, 1, 2, 0], 'int32');
    const messages: string[] = [];
    const result = await unlearn(model, { forget: { x, y } }, oneStep, {
      logger: { debug() {}, info: (m) => messages.push(m), warn() {} },
    });
    expect(result.backend).toBe('wasm');
    expect(result.changes.some((c) => c.changed > 0)).toBe(true);
    expect(tf.getKernel('Conv2DBackpropFilter', 'wasm')).toBeDefined();
    expect(messages.join('\n')).toMatch(/registered the training kernels .*Conv2DBackpropFilter/);
    result.model.dispose();
    model.dispose();
    tf.dispose([x, y]);
  });
});
