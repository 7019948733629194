// The README's three lines through require(), against the installed tarballs.
// `node cjs.cjs select`: selectBackend() picks the backend (wasm: tfjs-node is not installed);
// `node cjs.cjs wasm`: the app chooses wasm the usual tfjs way;
// `node cjs.cjs default`: the app chooses nothing and builds its model on tfjs's default (cpu), so
// unlearn() moves to the fastest backend itself (wasm) and says so once.
const tf = require('@tensorflow/tfjs-core');
const { selectBackend, unlearn } = require('@unlearn/core');
const { ssd } = require('@unlearn/ssd');
const fixture = require('./fixture.cjs');

async function main(mode) {
  if (mode === 'select') {
    await selectBackend();
  } else if (mode === 'wasm') {
    require('@tensorflow/tfjs-backend-wasm');
    await tf.setBackend('wasm');
  } else if (mode === 'default') {
    require('@tensorflow/tfjs-backend-cpu');
  } else {
    throw new Error(`mode "${mode}": select, wasm or default`);
  }

  const model = fixture.makeModel();
  const { forgetX, forgetY, trainX, trainY } = fixture.makeData();
  const before = fixture.weightsOf(model);

  const result = await unlearn(model, { forget: { x: forgetX, y: forgetY }, train: { x: trainX, y: trainY } }, ssd({ preset: 'mnist-cnn' }));

  fixture.check(`cjs ${mode}`, model, before, result);
}

main(process.argv[2]).catch((error) => {
  console.error(error);
  process.exit(1);
});
