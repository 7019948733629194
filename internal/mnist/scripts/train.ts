// Trains the reference MNIST CNN to convergence on the fixed train split and commits it to
// model/mnist-cnn, with model/TRAINING.md saying how. Run: npm run train -w @unlearn/mnist-fixture
// With --coarse (npm run train -w @unlearn/mnist-fixture -- --coarse) it trains the same network
// with 5 outputs on the coarse digit pairs of src/coarse.ts, with the same recipe, into
// model/mnist-cnn-coarse (model/TRAINING-coarse.md): the model of the sub-class scenario.
import { writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs-core';
import { selectBackend } from '@unlearn/core';
import { saveModel } from '@unlearn/core/node';
import {
  accuracyOf,
  buildMnistCnn,
  fitClassifier,
  loadMnist,
  MNIST_COARSE_CLASSES,
  MNIST_COARSE_PAIRS,
  PRETRAINED_MNIST_CNN_DIR,
  PRETRAINED_MNIST_COARSE_CNN_DIR,
  toCoarse,
} from '../src/index.js';

// 20 epochs is what the committed 10-class model was trained with (model/TRAINING.md).
const EPOCHS = Number(process.env.EPOCHS ?? 20);
const SEED = 1;
const COARSE = process.argv.includes('--coarse');
const classes = COARSE ? MNIST_COARSE_CLASSES : 10;
const pairs = MNIST_COARSE_PAIRS.map(([a, b]) => `{${a},${b}}`).join(', ');

const backend = await selectBackend({ prefer: ['wasm', 'cpu'] });
const digits = loadMnist();
const { train, test } = COARSE ? { train: toCoarse(digits.train), test: toCoarse(digits.test) } : digits;
const model = buildMnistCnn(SEED, classes);
const rows: { epoch: number; loss: number }[] = [];
const start = performance.now();
await fitClassifier(model, train, {
  epochs: EPOCHS,
  batchSize: 64,
  learningRate: 1e-3,
  seed: SEED,
  onEpoch: (epoch, loss) => {
    console.log(`epoch ${epoch}/${EPOCHS} loss ${loss.toFixed(4)} (${((performance.now() - start) / 1000).toFixed(0)} s)`);
    rows.push({ epoch, loss });
  },
});
const seconds = (performance.now() - start) / 1000;
const trainAcc = await accuracyOf(model, train);
const testAcc = await accuracyOf(model, test);
console.log(`train accuracy ${(trainAcc * 100).toFixed(2)}%, test accuracy ${(testAcc * 100).toFixed(2)}%, ${seconds.toFixed(0)} s`);
await saveModel(model, COARSE ? PRETRAINED_MNIST_COARSE_CNN_DIR : PRETRAINED_MNIST_CNN_DIR);

const summary = {
  architecture: `conv3x3x16-relu-maxpool2, conv3x3x32-relu-maxpool2, dense128-relu, dense${classes}-softmax`,
  ...(COARSE ? { labels: `5 coarse classes, digit pairs ${pairs} (internal/mnist/src/coarse.ts)` } : {}),
  data: `npm mnist 1.1.0: ${train.x.shape[0]} train / ${test.x.shape[0]} test (last 20% of each digit), pixels in [0, 1]`,
  recipe: { optimizer: 'adam', learningRate: 1e-3, batchSize: 64, epochs: EPOCHS, seed: SEED, shuffle: 'seeded every epoch' },
  backend: backend.name,
  tfjs: tf.version_core,
  seconds: Math.round(seconds),
  lossPerEpoch: rows.map((r) => Number(r.loss.toFixed(5))),
  trainAccuracy: trainAcc,
  testAccuracy: testAcc,
};
const modelDir = fileURLToPath(new URL('../model/', import.meta.url));
const suffix = COARSE ? '-coarse' : '';
await writeFile(`${modelDir}training${suffix}.json`, `${JSON.stringify(summary, null, 2)}\n`);
const heading = COARSE ? '# The coarse-pair MNIST CNN (sub-class scenario)' : '# The reference MNIST CNN';
const command = COARSE ? 'npm run train -w @unlearn/mnist-fixture -- --coarse' : 'npm run train -w @unlearn/mnist-fixture';
const coarseNote = COARSE
  ? `
The labels are 5 coarse classes, each a pair of digits: ${pairs} (internal/mnist/src/coarse.ts says
why these pairs). The sub-class scenario of packages/eval/scripts/report.ts forgets every
training sample of one digit (3) from this model while its sibling (5) keeps the coarse class.
The network and recipe are those of the 10-class model (model/TRAINING.md) with a 5-unit output.
`
  : '';
await writeFile(
  `${modelDir}TRAINING${suffix}.md`,
  `${heading}

Trained by \`${command}\` (internal/mnist/scripts/train.ts).
${coarseNote}
- Architecture: ${summary.architecture}
- Data: ${summary.data}
- Recipe: Adam, lr 1e-3, batch 64, ${EPOCHS} epochs, seeded shuffling (seed ${SEED}), seeded Glorot init
- Backend: ${backend.name} (tfjs ${tf.version_core}), ${summary.seconds} s on a 2-core machine${COARSE ? ' shared with other jobs' : ''}
- Training loss per epoch: ${summary.lossPerEpoch.join(', ')}
- Train accuracy ${(trainAcc * 100).toFixed(2)}%, test accuracy ${(testAcc * 100).toFixed(2)}%

The loss has flattened out and the model fits its training set (train accuracy near 100%):
unlearning methods are known to behave badly on under-trained models, so the model is
trained to convergence rather than to a quick checkpoint.
`,
);
