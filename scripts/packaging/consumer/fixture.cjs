// What the README's three lines take as given (a model and the data) and what the consumer test
// checks afterwards. CommonJS, so that esm.mjs and cjs.cjs share it unchanged.
const assert = require('node:assert/strict');
const tf = require('@tensorflow/tfjs-core');
const tfl = require('@tensorflow/tfjs-layers');

const CLASSES = 3;

// A small CNN: SSD's importances need the convolution's weight gradient, one of the kernels
// tfjs-backend-wasm 4.22 lacks and @unlearn/core supplies.
function makeModel() {
  const seeded = (seed) => tfl.initializers.glorotUniform({ seed });
  const model = tfl.sequential();
  model.add(tfl.layers.conv2d({ inputShape: [8, 8, 1], filters: 4, kernelSize: 3, activation: 'relu', kernelInitializer: seeded(1) }));
  model.add(tfl.layers.flatten());
  model.add(tfl.layers.dense({ units: CLASSES, activation: 'softmax', kernelInitializer: seeded(2) }));
  return model;
}

// 60 images, labels cycling over the classes; the forget set is every image of class 0.
function makeData() {
  const n = 60;
  let state = 7;
  const random = () => {
    state = (state * 1103515245 + 12345) % 2 ** 31;
    return state / 2 ** 31;
  };
  const pixels = Float32Array.from({ length: n * 64 }, random);
  const labels = Int32Array.from({ length: n }, (_, i) => i % CLASSES);
  const forgetRows = [...labels.keys()].filter((i) => labels[i] === 0);
  const trainX = tf.tensor4d(pixels, [n, 8, 8, 1]);
  const trainY = tf.tensor1d(labels, 'int32');
  const rows = tf.tensor1d(forgetRows, 'int32');
  return { trainX, trainY, forgetX: tf.gather(trainX, rows), forgetY: tf.gather(trainY, rows) };
}

const weightsOf = (model) => model.getWeights().map((w) => w.dataSync().slice());

function check(label, model, before, result) {
  assert.equal(tf.getBackend(), 'wasm', `${label}: active backend`);
  assert.equal(result.backend, 'wasm', `${label}: result.backend`);
  assert.notEqual(result.model, model, `${label}: a new model`);
  assert.deepEqual(weightsOf(model), before, `${label}: the caller's model is untouched`);
  const after = weightsOf(result.model);
  const changed = after.reduce((sum, w, i) => sum + w.filter((v, j) => v !== before[i][j]).length, 0);
  assert.ok(changed > 0, `${label}: SSD changed no weight`);
  console.log(`${label}: ok, ${changed} weights dampened on ${result.backend} in ${result.timeMs.toFixed(0)} ms`);
}

module.exports = { makeModel, makeData, weightsOf, check };
