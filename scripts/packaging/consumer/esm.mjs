// The README's three lines in an ES module, against the installed tarballs.
// `node esm.mjs select`: selectBackend() picks the backend (wasm: tfjs-node is not installed);
// `node esm.mjs wasm`: the app chooses wasm the usual tfjs way;
// `node esm.mjs default`: the app chooses nothing and builds its model on tfjs's default (cpu), so
// unlearn() moves to the fastest backend itself (wasm) and says so once.
import * as tf from '@tensorflow/tfjs-core';
import { selectBackend, unlearn } from '@unlearn/core';
import { ssd } from '@unlearn/ssd';
import fixture from './fixture.cjs';

const mode = process.argv[2];
if (mode === 'select') {
  await selectBackend();
} else if (mode === 'wasm') {
  await import('@tensorflow/tfjs-backend-wasm');
  await tf.setBackend('wasm');
} else if (mode === 'default') {
  await import('@tensorflow/tfjs-backend-cpu');
} else {
  throw new Error(`mode "${mode}": select, wasm or default`);
}

const model = fixture.makeModel();
const { forgetX, forgetY, trainX, trainY } = fixture.makeData();
const before = fixture.weightsOf(model);

const result = await unlearn(model, { forget: { x: forgetX, y: forgetY }, train: { x: trainX, y: trainY } }, ssd({ preset: 'mnist-cnn' }));

fixture.check(`esm ${mode}`, model, before, result);
