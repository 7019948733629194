// The model-zoo rows of the benchmark (ResNet-18, MobileNetV2) on the GPU machine's WebGPU
// backend: the same workloads as scripts/bench/zoo-rows.ts (SGD training at batch 64 in training
// mode, one JiT step of batch 64 with N = 25, SSD's Fisher importance over 1,000 samples at batch
// 64), plus one JiT update of a small BatchNorm ResNet on webgpu against cpu, and tf.memory() after
// each workload. Bundled by scripts/gpu/bundle.mjs; PyTorch's CUDA twin is zoo_cuda.py.
import * as webgpuBackend from '@tensorflow/tfjs-backend-webgpu';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { relativeError } from './relative-error.js';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import { selectBackend, toModelAdapter, unlearn, type BackendName } from '@unlearn/core';
import { jit } from '@unlearn/jit';
import { fisherImportance } from '@unlearn/ssd';
import { buildMobileNetV2, buildResNet18, cifarLike, parameterCounts } from '../../internal/zoo/src/index.js';

(globalThis as Record<string, unknown>).__unlearnWebGpuBackend = webgpuBackend;

const OUT = process.env.OUT ?? '.';
const ROUNDS = 3;
const log = (s: string) => console.log(s);
const median = (v: number[]) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)]!;

interface Row {
  model: string;
  workload: string;
  unit: 'ms' | 'samples/s';
  value: number;
  rounds: number[];
  memory: { numTensors: number; numBytes: number };
}
const rows: Row[] = [];
const failures: { model: string; workload: string; error: string }[] = [];

// ZOO_SMOKE=1 ZOO_BACKEND=wasm: tiny models on another backend, to try the script without a GPU.
const SMOKE = process.env.ZOO_SMOKE === '1';
const BACKEND = (process.env.ZOO_BACKEND ?? 'webgpu') as BackendName;
const models: { name: string; build: () => LayersModel }[] = [
  { name: 'resnet18', build: () => buildResNet18({ width: SMOKE ? 4 : 64 }) },
  { name: 'mobilenetv2', build: () => buildMobileNetV2({ widthMultiplier: SMOKE ? 0.25 : 1 }) },
];

async function trainingRounds(build: () => LayersModel): Promise<number[]> {
  const model = build();
  const adapter = toModelAdapter(model);
  const vars = adapter.trainable.map((v) => v.variable);
  const opt = tf.train.sgd(0.01);
  const { x, y } = cifarLike({ n: 64, seed: 7 });
  const step = () =>
    opt.minimize(() => tf.losses.softmaxCrossEntropy(tf.oneHot(y, 10), adapter.logits(x, { training: true })) as tf.Scalar, true, vars)!;
  for (let i = 0; i < 2; i++) {
    const l = step();
    await l.data();
    l.dispose();
  }
  const out: number[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    const t0 = performance.now();
    let last: tf.Scalar | undefined;
    for (let i = 0; i < 5; i++) {
      last?.dispose();
      last = step();
    }
    await last!.data();
    last!.dispose();
    out.push((5 * 64) / ((performance.now() - t0) / 1000));
  }
  tf.dispose([x, y]);
  opt.dispose();
  model.dispose();
  return out;
}

async function jitRounds(build: () => LayersModel): Promise<number[]> {
  const model = build();
  const { x, y } = cifarLike({ n: 64, seed: 3 });
  const method = jit({ sigma: 0.1, lr: 1e-3, nSamples: 25, batchSize: 64 });
  const out: number[] = [];
  for (let r = 0; r <= ROUNDS; r++) {
    // Each round from the same weights: repeated in-place steps at lr 1e-3 drive a fresh ResNet-18 to NaN.
    const t0 = performance.now();
    const result = await unlearn(model, { forget: { x } }, method, { seed: r });
    const adapter = toModelAdapter(result.model);
    await adapter.trainable[0]!.variable.data();
    if (r > 0) out.push(performance.now() - t0);
    adapter.dispose();
  }
  tf.dispose([x, y]);
  model.dispose();
  return out;
}

async function importanceRounds(build: () => LayersModel): Promise<number[]> {
  const model = build();
  const data = cifarLike({ n: 1000, seed: 5 });
  const out: number[] = [];
  for (let r = 0; r <= ROUNDS; r++) {
    const t0 = performance.now();
    const imp = await fisherImportance(model, data, { batchSize: 64, threads: 1 });
    await imp[imp.length - 1]!.data();
    if (r > 0) out.push(performance.now() - t0);
    tf.dispose(imp);
  }
  tf.dispose([data.x, data.y]);
  model.dispose();
  return out;
}

async function measure(backend: BackendName): Promise<void> {
  for (const m of models) {
    const probe = m.build();
    log(`${m.name}: ${JSON.stringify(parameterCounts(probe))}`);
    probe.dispose();
    const work: [string, Row['unit'], (b: () => LayersModel) => Promise<number[]>][] = [
      ['training, batch 64, SGD', 'samples/s', trainingRounds],
      ['JiT step, N=25, batch 64', 'ms', jitRounds],
      ['SSD importance, 1,000 samples, batch 64', 'ms', importanceRounds],
    ];
    for (const [workload, unit, run] of work) {
      const t0 = performance.now();
      let rounds: number[];
      try {
        rounds = await run(m.build);
      } catch (error) {
        // One failing workload (e.g. a diverged JiT step) must not hide the others' numbers.
        failures.push({ model: m.name, workload, error: (error as Error).message.slice(0, 400) });
        log(`${backend} ${m.name} ${workload}: FAILED ${(error as Error).message.slice(0, 200)}`);
        continue;
      }
      const memory = tf.memory();
      rows.push({ model: m.name, workload, unit, value: median(rounds), rounds, memory: { numTensors: memory.numTensors, numBytes: memory.numBytes } });
      log(`${backend} ${m.name} ${workload}: ${median(rounds).toFixed(1)} ${unit} (rounds ${rounds.map((v) => v.toFixed(1)).join(', ')}; ${((performance.now() - t0) / 1000).toFixed(1)} s with warm-up; tensors ${memory.numTensors})`);
    }
  }
}

async function jitUpdateOn(name: BackendName): Promise<Float32Array[]> {
  await selectBackend({ backend: name });
  const model = buildResNet18({ width: 4, seed: 2 });
  const { x, y } = cifarLike({ n: 16, seed: 4 });
  // One batch and a small step: with lr 0.01 this fresh net's weights move by their own norm, and
  // the second batch then amplifies float32 rounding (0.5% between wasm and cpu), which would hide
  // a real kernel difference rather than show one.
  const r = await unlearn(model, { forget: { x } }, jit({ sigma: 0.1, lr: 1e-4, nSamples: 3, batchSize: 16 }), { seed: 9 });
  const adapter = toModelAdapter(r.model);
  const out = await Promise.all(adapter.variables.map(async (v) => (await v.variable.data()) as Float32Array));
  adapter.dispose();
  model.dispose();
  tf.dispose([x, y]);
  return out;
}

const started = performance.now();
const result: Record<string, unknown> = { node: process.version, tfjs: tf.version_core, date: new Date().toISOString() };
try {
  const choice = await selectBackend({ backend: BACKEND });
  const backend = tf.backend() as unknown as { adapterInfo?: unknown };
  result.backend = choice.name;
  result.adapter = backend.adapterInfo ?? null;
  log(`backend ${choice.name}; adapter ${JSON.stringify(result.adapter)}`);
  const gpu = await jitUpdateOn(BACKEND);
  const cpu = await jitUpdateOn('cpu');
  result.jitAgreementBatchNormResNet = { relativeError: relativeError(gpu, cpu), tolerance: 1e-4 };
  log(`JiT update on a width-4 ResNet-18 (BatchNorm), ${BACKEND} vs cpu: relative error ${relativeError(gpu, cpu)}`);
  await selectBackend({ backend: BACKEND });
  await measure(BACKEND);
} catch (error) {
  result.error = error instanceof Error ? `${error.message}\n${error.stack}` : String(error);
  console.error(result.error);
}
result.rows = rows;
result.failures = failures;
result.seconds = (performance.now() - started) / 1000;
result.rss = process.memoryUsage().rss;
writeFileSync(join(OUT, `zoo-${BACKEND}.json`), JSON.stringify(result, null, 2));
process.exit(result.error ? 1 : 0);
