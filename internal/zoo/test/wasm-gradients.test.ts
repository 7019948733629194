import { describe, it, expect, beforeAll } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-wasm';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import { selectBackend } from '@unlearn/core';
import { buildMlpMixer, buildMobileNetV2, buildResNet18, cifarLike } from '../src/index.js';
import { gradientErrors, lossGradients, norm, type Batch } from './helpers.js';

const SIZE = 16;
const CASES: { name: string; build: () => LayersModel }[] = [
  { name: 'ResNet-18, width 4', build: () => buildResNet18({ width: 4, inputShape: [SIZE, SIZE, 3] }) },
  { name: 'MobileNetV2, width x0.25', build: () => buildMobileNetV2({ widthMultiplier: 0.25, inputShape: [SIZE, SIZE, 3] }) },
  { name: 'MLP-Mixer, 2 blocks', build: () => buildMlpMixer({ hiddenDim: 16, tokensMlpDim: 8, channelsMlpDim: 32, depth: 2, inputShape: [SIZE, SIZE, 3] }) },
];

function batch(): Batch {
  const data = cifarLike({ n: 4, seed: 3, size: SIZE });
  const out: Batch = { x: data.x.dataSync().slice() as Float32Array, shape: [4, SIZE, SIZE, 3], y: data.y.dataSync().slice() as Int32Array, classes: 10 };
  tf.dispose([data.x, data.y]);
  return out;
}

/** Each input value moved by half a float32 ulp, alternately up and down. */
const nudged = (b: Batch): Batch => ({ ...b, x: b.x.map((v, i) => v * (1 + (i % 2 ? 6e-8 : -6e-8))) });

beforeAll(async () => {
  await selectBackend({ backend: 'wasm' });
});

/**
 * The gradient of the loss with respect to every trainable weight, on wasm (with core's kernels)
 * and on cpu. Every kernel involved is checked alone against cpu to 1e-5 (packages/core/src/
 * backend/wasm); through a whole network float32 rounding compounds, most through BatchNorm's
 * batch statistics, whose reductions the two backends sum in different orders. How far cpu's
 * own gradient moves when the input moves by half an ulp measures that amplification: wasm
 * must stay within 1e-5 or 4x that, whichever is larger. Measured (max over weights): ResNet-18
 * 4.7e-6 (cpu's own 6.5e-6), MobileNetV2 5.2e-5 (4.7e-5: 52 BatchNorms), MLP-Mixer 1.7e-5
 * (1.6e-5, at the token-mixing output biases, whose true gradient is 0: the next LayerNorm
 * removes a shift per token). A missing or wrong kernel gives errors near 1.
 */
describe('zoo models: gradients on wasm match cpu', () => {
  for (const c of CASES) {
    it(c.name, async () => {
      const input = batch();
      const before = tf.memory().numTensors;
      const wasm = lossGradients(c.build, input);
      expect(tf.memory().numTensors).toBe(before);
      await tf.setBackend('cpu');
      let cpu: Float32Array[];
      let amplified: Float32Array[];
      try {
        cpu = lossGradients(c.build, input);
        amplified = lossGradients(c.build, nudged(input));
      } finally {
        await tf.setBackend('wasm');
      }
      expect(wasm.length).toBe(cpu.length);
      expect(norm(cpu)).toBeGreaterThan(0);
      const noise = Math.max(...gradientErrors(amplified, cpu));
      const worst = Math.max(...gradientErrors(wasm, cpu));
      expect(worst).toBeLessThanOrEqual(Math.max(1e-5, 4 * noise));
    });
  }
});
