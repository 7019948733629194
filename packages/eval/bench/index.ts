/**
 * Cost of the evaluation itself, on the wasm backend with the pretrained MNIST CNN:
 * - the MIA's entropy feature with the reference's batch size 1 against batches of 256 (the
 *   values are identical, see test/mia.test.ts; only the speed differs);
 * - the Newton fit of the attack classifier on the 8,000 train + 2,000 test entropies.
 *
 *   npm run bench -w @unlearn/eval
 */
import * as tf from '@tensorflow/tfjs-core';
import { selectBackend } from '@unlearn/core';
import { loadMnist, loadPretrainedMnistCnn } from '@unlearn/mnist-fixture';
import { entropies, fitLogistic1d, predictProbabilities } from '@unlearn/eval';

async function timed<T>(fn: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const start = performance.now();
  const value = await fn();
  return { ms: performance.now() - start, value };
}

await selectBackend({ backend: 'wasm' });
const { train, test } = loadMnist();
const model = await loadPretrainedMnistCnn();

const small = tf.slice(train.x, 0, 500);
const warm = tf.slice(small, 0, 16);
await predictProbabilities(model, warm, 16); // warm-up: kernels and memory
warm.dispose();
const batch1 = await timed(async () => entropies(await predictProbabilities(model, small, 1)));
const batched = await timed(async () => entropies(await predictProbabilities(model, train.x, 256)));
const same = batch1.value.every((h, i) => Math.abs(h - batched.value[i]!) < 1e-5);

// The attack's real input: train entropies (members) against test entropies (non-members).
const testEntropies = entropies(await predictProbabilities(model, test.x, 256));
const x = Float64Array.from([...batched.value, ...testEntropies]);
const y = Uint8Array.from(x, (_, i) => (i < batched.value.length ? 1 : 0));
const fit = await timed(async () => fitLogistic1d(x, y));

const perSecond = (n: number, ms: number) => (n / ms) * 1000;
const rate1 = perSecond(500, batch1.ms);
const rate256 = perSecond(train.x.shape[0], batched.ms);
const results = {
  backend: tf.getBackend(),
  tfjs: tf.version_core,
  mia_entropy_batch1_samples_per_s: Math.round(rate1),
  mia_entropy_batch256_samples_per_s: Math.round(rate256),
  batch256_over_batch1: Number((rate256 / rate1).toFixed(1)),
  batch1_equals_batch256: same,
  logistic_fit_ms: Number(fit.ms.toFixed(2)),
  logistic_fit_samples: x.length,
  logistic_fit_iterations: fit.value.iterations,
};
console.log(JSON.stringify(results, null, 2));
console.log(
  `The reference's batch-1 MIA over Dr + test (~10,000 samples) would take ~${(10_000 / rate1).toFixed(0)} s here; batched: ~${(10_000 / rate256).toFixed(1)} s.`,
);
console.log('PyTorch: no counterpart in scripts/torch/bench.py for these measurements.');
tf.dispose([small, train.x, train.y, test.x, test.y]);
model.dispose();
