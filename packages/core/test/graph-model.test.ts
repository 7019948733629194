import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { GraphModel, loadGraphModel } from '@tensorflow/tfjs-converter';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isUnlearnError, noopUnlearner, toModelAdapter, unlearn } from '../src/index.js';
import { loadModel } from '../src/node/index.js';

// The smallest graph the converter could produce from a Keras classifier: logits = x · W.
const weights = new Float32Array(12).map((_, i) => (i - 6) / 10);
const modelJson = {
  format: 'graph-model',
  generatedBy: '2.15.0',
  convertedBy: 'TensorFlow.js Converter v4.22.0',
  modelTopology: {
    node: [
      { name: 'x', op: 'Placeholder', attr: { dtype: { type: 'DT_FLOAT' }, shape: { shape: { dim: [{ size: '-1' }, { size: '4' }] } } } },
      { name: 'w', op: 'Const', attr: { dtype: { type: 'DT_FLOAT' }, value: { tensor: { dtype: 'DT_FLOAT', tensorShape: { dim: [{ size: '4' }, { size: '3' }] } } } } },
      { name: 'logits', op: 'MatMul', input: ['x', 'w'], attr: { T: { type: 'DT_FLOAT' }, transpose_a: { b: false }, transpose_b: { b: false } } },
    ],
    library: {},
    versions: { producer: 1 },
  },
  weightsManifest: [{ paths: ['weights.bin'], weights: [{ name: 'w', shape: [4, 3], dtype: 'float32' }] }],
};

let graph: GraphModel;
let dir: string;
beforeAll(async () => {
  graph = await loadGraphModel(
    tf.io.fromMemory({ modelTopology: modelJson.modelTopology, weightSpecs: modelJson.weightsManifest[0]!.weights as tf.io.WeightsManifestEntry[], weightData: weights.buffer, format: 'graph-model' }),
  );
  dir = await mkdtemp(join(tmpdir(), 'unlearn-graph-'));
  await writeFile(join(dir, 'model.json'), JSON.stringify(modelJson));
  await writeFile(join(dir, 'weights.bin'), new Uint8Array(weights.buffer));
});
afterAll(async () => {
  graph.dispose();
  await rm(dir, { recursive: true, force: true });
});

const theFix = /GraphModel, which is inference-only.*Convert the Keras model to a layers model.*tensorflowjs_converter --input_format keras/;

async function rejection(promise: Promise<unknown>): Promise<Error> {
  return promise.then(
    () => {
      throw new Error('expected a rejection');
    },
    (e: unknown) => e as Error,
  );
}

describe('tf.GraphModel', () => {
  it('is a working graph model (the test builds a real one)', () => {
    const x = tf.ones([2, 4]);
    const y = graph.predict(x) as tf.Tensor;
    expect(y.shape).toEqual([2, 3]);
    tf.dispose([x, y]);
  });

  it('is refused by the adapter and the runner with UNSUPPORTED_MODEL naming the fix', async () => {
    expect(() => toModelAdapter(graph as never)).toThrow(theFix);
    const x = tf.ones([2, 4]);
    const error = await rejection(unlearn(graph as never, { forget: { x } }, noopUnlearner()));
    expect(isUnlearnError(error, 'UNSUPPORTED_MODEL'), String(error)).toBe(true);
    expect(error.message).toMatch(theFix);
    x.dispose();
  });

  it('is refused by loadModel from a converted graph-model folder, with the same fix', async () => {
    const error = await rejection(loadModel(dir));
    expect(isUnlearnError(error, 'UNSUPPORTED_MODEL'), String(error)).toBe(true);
    expect(error.message).toMatch(theFix);
    expect(error.message).toContain(join(dir, 'model.json'));
  });
});
