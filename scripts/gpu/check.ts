// The GPU check (issue: GPU path). Bundled by scripts/gpu/bundle.mjs into one file that runs
// on the lent GPU machine with a carried Node and Dawn: it selects the webgpu backend through
// core's selectBackend, times the JiT step, SSD importance and CNN training on webgpu and on
// wasm in the same run, runs the conformance checks on webgpu, and compares one JiT update
// between webgpu and cpu.
import '@tensorflow/tfjs-backend-wasm';
import * as webgpuBackend from '@tensorflow/tfjs-backend-webgpu';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { relativeError } from './relative-error.js';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { selectBackend, toModelAdapter, unlearn, type BackendName, type UnlearnableModel } from '@unlearn/core';
import { runConformance } from '../../packages/core/src/testing/checks.js';
import { syntheticClassification, tinyClassifier } from '../../packages/core/src/testing/fixtures.js';
import { buildMnistCnn, buildMnistMlp } from '../../internal/mnist/src/model.js';
import { jit } from '@unlearn/jit';
import { fisherImportance, ssd } from '@unlearn/ssd';

// The stub package that core's backend loader imports by name hands out this bundled copy.
(globalThis as Record<string, unknown>).__unlearnWebGpuBackend = webgpuBackend;

const OUT = process.env.OUT ?? '.';
const here = process.env.GPU_BUNDLE_DIR ?? '.';
setWasmPaths(`${here}/`);

const rows: { workload: string; backend: string; value: number; unit: string }[] = [];
const log = (s: string) => console.log(s);

function randomImages(n: number, seed: number) {
  return tf.tidy(() => ({
    x: tf.randomUniform([n, 28, 28, 1], 0, 1, 'float32', seed),
    y: tf.cast(tf.floor(tf.randomUniform([n], 0, 10, 'float32', seed + 1)), 'int32') as tf.Tensor1D,
  }));
}

async function median(times: number[]): Promise<number> {
  const s = [...times].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

async function jitStepMs(build: (seed: number) => UnlearnableModel, repeats: number): Promise<number> {
  const model = build(1);
  const { x } = randomImages(64, 3);
  const method = () => jit({ sigma: 0.1, lr: 1e-4, nSamples: 25, batchSize: 64 });
  const times: number[] = [];
  for (let i = 0; i < repeats + 1; i++) {
    const r = await unlearn(model, { forget: { x } }, method(), { seed: i });
    if (i > 0) times.push(r.timeMs);
    toModelAdapter(r.model).dispose();
  }
  toModelAdapter(model).dispose();
  x.dispose();
  return median(times);
}

async function importanceMs(repeats: number): Promise<number> {
  const model = buildMnistCnn(1);
  const data = randomImages(1000, 5);
  const times: number[] = [];
  for (let i = 0; i < repeats + 1; i++) {
    const t0 = performance.now();
    const imp = await fisherImportance(model, data, { batchSize: 64, threads: 1 });
    await imp[imp.length - 1]!.data();
    if (i > 0) times.push(performance.now() - t0);
    tf.dispose(imp);
  }
  model.dispose();
  tf.dispose([data.x, data.y]);
  return median(times);
}

async function trainSamplesPerSecond(steps: number): Promise<number> {
  const model = buildMnistCnn(1);
  const adapter = toModelAdapter(model);
  const vars = adapter.trainable.map((v) => v.variable);
  const opt = tf.train.sgd(0.01);
  const { x, y } = randomImages(64, 7);
  const step = () => {
    const loss = opt.minimize(() => tf.losses.softmaxCrossEntropy(tf.oneHot(y, 10), adapter.logits(x, { training: true })) as tf.Scalar, true, vars)!;
    return loss;
  };
  for (let i = 0; i < 3; i++) (await step().data(), undefined);
  const t0 = performance.now();
  let last: tf.Scalar | undefined;
  for (let i = 0; i < steps; i++) {
    last?.dispose();
    last = step();
  }
  await last!.data();
  const s = (performance.now() - t0) / 1000;
  last!.dispose();
  tf.dispose([x, y]);
  opt.dispose();
  model.dispose();
  return (steps * 64) / s;
}

async function measure(name: BackendName): Promise<void> {
  const choice = await selectBackend({ backend: name });
  log(`backend ${choice.name}${choice.skipped.length ? ` (skipped: ${JSON.stringify(choice.skipped)})` : ''}`);
  rows.push({ workload: 'JiT step, N=25, batch 64, MNIST CNN', backend: name, value: await jitStepMs(buildMnistCnn, 5), unit: 'ms' });
  rows.push({ workload: 'JiT step, N=25, batch 64, MLP 784-256-128-10', backend: name, value: await jitStepMs(buildMnistMlp, 5), unit: 'ms' });
  rows.push({ workload: 'SSD importance, 1,000 samples, batch 64, CNN', backend: name, value: await importanceMs(3), unit: 'ms' });
  rows.push({ workload: 'CNN training, batch 64, SGD', backend: name, value: await trainSamplesPerSecond(name === 'webgpu' ? 60 : 30), unit: 'samples/s' });
  log(JSON.stringify(rows.filter((r) => r.backend === name)));
}

async function jitUpdateOn(name: BackendName): Promise<Float32Array[]> {
  await selectBackend({ backend: name });
  const model = tinyClassifier({ inputDim: 8, classes: 3, seed: 2 });
  const data = syntheticClassification({ n: 40, inputDim: 8, classes: 3, seed: 4 });
  const r = await unlearn(model, { forget: { x: data.x } }, jit({ sigma: 0.3, lr: 0.01, nSamples: 5, batchSize: 16 }), { seed: 9 });
  const out = await Promise.all(toModelAdapter(r.model).trainable.map(async (v) => (await v.variable.data()) as Float32Array));
  toModelAdapter(r.model).dispose();
  model.dispose();
  tf.dispose([data.x, data.y]);
  return out;
}

const started = performance.now();
const result: Record<string, unknown> = { node: process.version, tfjs: tf.version_core };
try {
  const probe = await selectBackend({ prefer: ['webgpu', 'wasm', 'cpu'] });
  result.selected = probe.name;
  result.skipped = probe.skipped;
  const backend = tf.backend() as unknown as { adapterInfo?: { vendor?: string; architecture?: string; description?: string } };
  result.adapter = backend.adapterInfo ?? null;
  log(`selectBackend picked ${probe.name}; adapter ${JSON.stringify(result.adapter)}`);
  const fixture = () => {
    // Forget = the first class-0/1/2 triples of the training set: a proper subset, so SSD's
    // strict selection I_forget > alpha * I_train can pick parameters.
    const train = syntheticClassification({ n: 24, inputDim: 6, classes: 3, seed: 1 });
    const forget = { x: tf.slice(train.x, 0, 6), y: tf.slice(train.y, 0, 6) };
    return {
      model: tinyClassifier({ inputDim: 6, classes: 3 }),
      request: { forget, train },
      dispose: () => tf.dispose([train.x, train.y, forget.x, forget.y]),
    };
  };
  {
    result.conformanceBackend = probe.name;
    result.conformance = {
      jit: await runConformance({ create: () => jit({ sigma: 0.3, lr: 0.01, nSamples: 3, batchSize: 8 }), fixture }),
      ssd: await runConformance({ create: () => ssd({ alpha: 1, lambda: 1, batchSize: 8, threads: 1 }), fixture }),
    };
    log(`conformance on ${probe.name}: ${JSON.stringify(result.conformance)}`);
  }
  if (probe.name === 'webgpu') {
    const gpu = await jitUpdateOn('webgpu');
    const cpu = await jitUpdateOn('cpu');
    result.jitAgreement = { relativeError: relativeError(gpu, cpu), tolerance: 1e-4 };
    log(`JiT update webgpu vs cpu: relative error ${(result.jitAgreement as { relativeError: number }).relativeError}`);
    await measure('webgpu');
  }
  await measure('wasm');
} catch (error) {
  result.error = error instanceof Error ? `${error.message}\n${error.stack}` : String(error);
  console.error(result.error);
}
result.rows = rows;
result.seconds = (performance.now() - started) / 1000;
writeFileSync(join(OUT, 'gpu-check.json'), JSON.stringify(result, null, 2));
const table = ['| workload | backend | value | unit |', '|---|---|---:|---|', ...rows.map((r) => `| ${r.workload} | ${r.backend} | ${r.value.toFixed(1)} | ${r.unit} |`)].join('\n');
writeFileSync(join(OUT, 'gpu-check.md'), `${table}\n`);
console.log(table);
process.exit(result.error ? 1 : 0);
