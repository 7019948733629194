import { describe, it, expect, beforeAll } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { relErr, seeded, useWasm } from './test-helpers.js';

beforeAll(useWasm);

const STEPS = 3;
const LR = 0.1;

interface Run {
  weights: Float32Array[];
  losses: number[];
  /** tf.memory().numTensors after each step. */
  tensors: number[];
}

function train(build: () => tfl.Sequential, init: Float32Array[] | null, xShape: number[], classes: number): Run & { init: Float32Array[] } {
  const model = build();
  if (init) model.setWeights(init.map((w, i) => tf.tensor(w, model.getWeights()[i]!.shape)));
  const initial = model.getWeights().map((w) => w.dataSync().slice() as Float32Array);
  const x = tf.tensor(seeded(xShape, 1), xShape);
  const labels = Array.from({ length: xShape[0]! }, (_, i) => i % classes);
  const y = tf.oneHot(tf.tensor1d(labels, 'int32'), classes);
  const vars = model.trainableWeights.map((w) => w.read() as tf.Variable);
  const run: Run = { weights: [], losses: [], tensors: [] };
  for (let s = 0; s < STEPS; s++) {
    const { value, grads } = tf.variableGrads(
      () => tf.losses.softmaxCrossEntropy(y, model.apply(x, { training: true }) as tf.Tensor) as tf.Scalar,
      vars,
    );
    tf.tidy(() => vars.forEach((v) => v.assign(tf.sub(v, tf.mul(grads[v.name]!, LR)))));
    run.losses.push(value.dataSync()[0]!);
    tf.dispose([value, ...Object.values(grads)]);
    run.tensors.push(tf.memory().numTensors);
  }
  run.weights = model.getWeights().map((w) => w.dataSync().slice() as Float32Array);
  tf.dispose([x, y]);
  model.dispose();
  return { ...run, init: initial };
}

async function wasmVsCpu(build: () => tfl.Sequential, xShape: number[], classes: number) {
  const wasm = train(build, null, xShape, classes);
  await tf.setBackend('cpu');
  try {
    const cpu = train(build, wasm.init, xShape, classes);
    return { wasm, cpu };
  } finally {
    await tf.setBackend('wasm');
  }
}

function expectSameTraining(wasm: Run, cpu: Run): void {
  expect(wasm.weights.length).toBe(cpu.weights.length);
  wasm.weights.forEach((w, i) => expect(relErr(w, cpu.weights[i]!)).toBeLessThanOrEqual(1e-4));
  expect(relErr(wasm.losses, cpu.losses)).toBeLessThanOrEqual(1e-4);
  // Nothing accumulates from one step to the next.
  expect(new Set(wasm.tensors).size).toBe(1);
}

describe('training on wasm matches cpu', () => {
  it('a tiny CNN: conv2d, maxPooling2d, flatten, dense', async () => {
    const build = () =>
      tfl.sequential({
        layers: [
          tfl.layers.conv2d({ inputShape: [8, 8, 1], filters: 4, kernelSize: 3, padding: 'same', activation: 'relu' }),
          tfl.layers.maxPooling2d({ poolSize: 2 }),
          tfl.layers.conv2d({ filters: 6, kernelSize: 3, activation: 'relu' }),
          tfl.layers.flatten(),
          tfl.layers.dense({ units: 8, activation: 'relu' }),
          tfl.layers.dense({ units: 3 }),
        ],
      });
    const { wasm, cpu } = await wasmVsCpu(build, [6, 8, 8, 1], 3);
    expectSameTraining(wasm, cpu);
  });

  it('depthwise and strided convs, batch norm, average pooling', async () => {
    const build = () =>
      tfl.sequential({
        layers: [
          // No bias before batch norm: its true gradient is 0, and both backends' rounding noise
          // around 0 would be compared.
          tfl.layers.depthwiseConv2d({
            inputShape: [8, 8, 2],
            kernelSize: 3,
            depthMultiplier: 2,
            padding: 'same',
            useBias: false,
          }),
          tfl.layers.batchNormalization({}),
          tfl.layers.activation({ activation: 'relu' }),
          tfl.layers.averagePooling2d({ poolSize: 2 }),
          tfl.layers.conv2d({ filters: 4, kernelSize: 2, strides: 2, padding: 'same' }),
          tfl.layers.flatten(),
          tfl.layers.dense({ units: 3 }),
        ],
      });
    const { wasm, cpu } = await wasmVsCpu(build, [5, 8, 8, 2], 3);
    expectSameTraining(wasm, cpu);
  });

  it('an embedding', async () => {
    const build = () =>
      tfl.sequential({
        layers: [
          tfl.layers.embedding({ inputDim: 10, outputDim: 4, inputLength: 6 }),
          tfl.layers.flatten(),
          tfl.layers.dense({ units: 3 }),
        ],
      });
    const model = build();
    const init = model.getWeights().map((w) => w.dataSync().slice() as Float32Array);
    model.dispose();
    const ids = tf.tensor2d(Array.from({ length: 24 }, (_, i) => (i * 7) % 10), [4, 6]);
    const trainEmbedding = () => {
      const m = build();
      m.setWeights(init.map((w, i) => tf.tensor(w, m.getWeights()[i]!.shape)));
      const x = tf.tensor2d(ids.dataSync(), [4, 6]);
      const y = tf.oneHot(tf.tensor1d([0, 1, 2, 0], 'int32'), 3);
      const vars = m.trainableWeights.map((w) => w.read() as tf.Variable);
      for (let s = 0; s < STEPS; s++) {
        const { value, grads } = tf.variableGrads(
          () => tf.losses.softmaxCrossEntropy(y, m.apply(x) as tf.Tensor) as tf.Scalar,
          vars,
        );
        tf.tidy(() => vars.forEach((v) => v.assign(tf.sub(v, tf.mul(grads[v.name]!, LR)))));
        tf.dispose([value, ...Object.values(grads)]);
      }
      const out = m.getWeights().map((w) => w.dataSync().slice() as Float32Array);
      tf.dispose([x, y]);
      m.dispose();
      return out;
    };
    const wasm = trainEmbedding();
    await tf.setBackend('cpu');
    const cpu = trainEmbedding();
    await tf.setBackend('wasm');
    ids.dispose();
    wasm.forEach((w, i) => expect(relErr(w, cpu[i]!)).toBeLessThanOrEqual(1e-4));
  });
});
