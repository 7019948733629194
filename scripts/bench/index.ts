/**
 * The repository benchmark (npm run bench): the same workloads in tfjs (wasm backend, this
 * repository's kernels) and in PyTorch (scripts/torch/bench.py), in one run, as a table of
 * times and ratios. Writes scripts/bench/results/latest.{md,json}.
 */
import { writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs-core';
import { selectBackend, unlearn } from '@unlearn/core';
import { torchTimings, type TorchResultKey } from '@unlearn/bench-kit';
import { jit } from '@unlearn/jit';
import { fisherImportance } from '@unlearn/ssd';
import { predictProbabilities } from '@unlearn/eval';
import { retrain } from '@unlearn/retrain';
import { buildMnistCnn } from '@unlearn/mnist-fixture';
import { mlp, mnistCnn, timeSteps, trainer } from '../../packages/core/bench/workloads.js';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 7);

interface Row {
  workload: string;
  unit: 'ms' | 'samples/s';
  tfjs: number;
  torchKey: TorchResultKey;
  torch?: number;
  /** tfjs time / PyTorch time (for throughput: PyTorch samples/s / tfjs samples/s). */
  ratio?: number;
  /** The issue's target ratio, where it set one. */
  target?: number;
}

const median = (v: number[]) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)]!;

async function timeMs(run: () => Promise<void>, rounds = ROUNDS): Promise<number> {
  await run();
  const times: number[] = [];
  for (let i = 0; i < rounds; i++) {
    const t0 = performance.now();
    await run();
    times.push(performance.now() - t0);
  }
  return median(times);
}

function images(n: number, seed: number) {
  return tf.tidy(() => ({
    x: tf.randomUniform([n, 28, 28, 1], 0, 1, 'float32', seed),
    y: tf.cast(tf.floor(tf.randomUniform([n], 0, 10, 'float32', seed + 1)), 'int32') as tf.Tensor1D,
  }));
}

async function jitStep(build: () => ReturnType<typeof buildMnistCnn>, flat: boolean, workers: number): Promise<number> {
  const model = build();
  const { x, y } = images(64, 3);
  const input = flat ? tf.reshape(x, [64, 784]) : x;
  // One forget batch of 64 = exactly one JiT step, through the public entry point.
  const method = () => jit({ sigma: 0.1, lr: 1e-3, nSamples: 25, batchSize: 64, workers });
  const ms = await timeMs(async () => {
    const r = await unlearn(model, { forget: { x: input } }, method(), { inPlace: true });
    void r;
  });
  tf.dispose([x, y, input]);
  model.dispose();
  return ms;
}

async function importance(workers: number): Promise<number> {
  const model = buildMnistCnn(1);
  const data = images(1000, 5);
  const ms = await timeMs(async () => tf.dispose(await fisherImportance(model, data, { batchSize: 64, workers })), 5);
  tf.dispose([data.x, data.y]);
  model.dispose();
  return ms;
}

/** Samples per second of a retrain epoch (SGD, batch 64, no shuffling) of the MNIST CNN on 1,280 samples, after a warm-up run. */
async function retrainThroughput(workers: number): Promise<number> {
  const data = images(1280, 7);
  const forget = { x: tf.slice(data.x, 0, 8) };
  const method = retrain({ epochs: 1, batchSize: 64, optimizer: 'sgd', learningRate: 0.01, momentum: 0, shuffle: false, workers });
  const rates: number[] = [];
  for (let r = 0; r < 4; r++) {
    const model = buildMnistCnn(1);
    const result = await unlearn(model, { forget, retain: data }, method);
    if (r > 0) rates.push(result.details.samplesPerSecond as number);
    result.model.dispose();
    model.dispose();
  }
  tf.dispose([data.x, data.y, forget.x]);
  return median(rates);
}

/** Softmax outputs of the MNIST CNN on 10,000 samples (batch 256), as eval computes them. */
async function predictions(threads: number): Promise<number> {
  const model = buildMnistCnn(1);
  const { x, y } = images(10_000, 9);
  const ms = await timeMs(async () => void (await predictProbabilities(model, x, { batchSize: 256, threads })), 3);
  tf.dispose([x, y]);
  model.dispose();
  return ms;
}

/** Tensors alive after `steps` repetitions minus before (after one warm-up): 0 means no leak. */
async function leakOver(steps: number, step: () => Promise<void>): Promise<number> {
  await step();
  const before = tf.memory().numTensors;
  for (let i = 0; i < steps; i++) await step();
  return tf.memory().numTensors - before;
}

async function leaks(): Promise<{ workload: string; steps: number; leaked: number }[]> {
  const t = trainer(mlp(), [784]);
  const training = await leakOver(1000, async () => void t.step());
  t.dispose();
  const model = mlp();
  const { x } = images(64, 9);
  const flat = tf.reshape(x, [64, 784]);
  const method = jit({ sigma: 0.1, lr: 1e-5, nSamples: 25, batchSize: 64, workers: 1 });
  const jitSteps = await leakOver(1000, async () => void (await unlearn(model, { forget: { x: flat } }, method, { inPlace: true })));
  const split = jit({ sigma: 0.1, lr: 1e-5, nSamples: 25, batchSize: 64, workers: 2 });
  const jitSplitSteps = await leakOver(1000, async () => void (await unlearn(model, { forget: { x: flat } }, split, { inPlace: true })));
  tf.dispose([x, flat]);
  model.dispose();
  return [
    { workload: 'MLP training step (SGD)', steps: 1000, leaked: training },
    { workload: 'JiT step through unlearn(), MLP, inPlace, 1 thread', steps: 1000, leaked: jitSteps },
    { workload: 'JiT step through unlearn(), MLP, inPlace, 2 threads', steps: 1000, leaked: jitSplitSteps },
  ];
}

async function main(): Promise<void> {
  const loadBefore = loadavg()[0]!.toFixed(2);
  const backend = await selectBackend({ backend: 'wasm' });
  const train = (model: ReturnType<typeof mnistCnn>, shape: number[]) => {
    const t = trainer(model, shape);
    const r = timeSteps(t, 3, 20, 3);
    t.dispose();
    return r.samplesPerSecond;
  };
  const rows: Row[] = [
    { workload: 'MLP 784-256-128-10 training, batch 64, SGD', unit: 'samples/s', tfjs: train(mlp(), [784]), torchKey: 'train_mlp_samples_per_s', target: 4 },
    { workload: 'MNIST CNN training, batch 64, SGD', unit: 'samples/s', tfjs: train(mnistCnn(), [28, 28, 1]), torchKey: 'train_cnn_samples_per_s', target: 5 },
    { workload: 'MNIST CNN retrain epoch, batch 64, SGD, 1 thread', unit: 'samples/s', tfjs: await retrainThroughput(1), torchKey: 'train_cnn_samples_per_s', target: 5 },
    { workload: 'MNIST CNN retrain epoch, batch 64, SGD, 2 threads', unit: 'samples/s', tfjs: await retrainThroughput(2), torchKey: 'train_cnn_samples_per_s', target: 5 },
    { workload: 'JiT step, MNIST CNN, N=25, batch 64, 1 thread', unit: 'ms', tfjs: await jitStep(() => buildMnistCnn(1), false, 1), torchKey: 'jit_step_cnn_ms', target: 1.5 },
    { workload: 'JiT step, MNIST CNN, N=25, batch 64, 2 threads', unit: 'ms', tfjs: await jitStep(() => buildMnistCnn(1), false, 2), torchKey: 'jit_step_cnn_ms', target: 1.5 },
    { workload: 'JiT step, MLP 784-256-128-10, N=25, batch 64, 1 thread', unit: 'ms', tfjs: await jitStep(mlp, true, 1), torchKey: 'jit_step_mlp_ms', target: 1.5 },
    { workload: 'JiT step, MLP 784-256-128-10, N=25, batch 64, 2 threads', unit: 'ms', tfjs: await jitStep(mlp, true, 2), torchKey: 'jit_step_mlp_ms', target: 1.5 },
    { workload: 'SSD importance, 1,000 CNN samples, batch 64, 1 thread', unit: 'ms', tfjs: await importance(1), torchKey: 'ssd_importance_cnn_ms', target: 4 },
    { workload: 'SSD importance, 1,000 CNN samples, batch 64, 2 worker threads', unit: 'ms', tfjs: await importance(2), torchKey: 'ssd_importance_cnn_ms', target: 4 },
    { workload: 'Predictions (eval), 10,000 CNN samples, batch 256, 1 thread', unit: 'ms', tfjs: await predictions(1), torchKey: 'predict_cnn_ms' },
    { workload: 'Predictions (eval), 10,000 CNN samples, batch 256, 2 threads', unit: 'ms', tfjs: await predictions(2), torchKey: 'predict_cnn_ms' },
  ];
  const leakRows = await leaks();
  const torch = torchTimings();
  for (const row of rows) {
    if (!('results' in torch)) continue;
    row.torch = torch.results[row.torchKey];
    row.ratio = row.unit === 'ms' ? row.tfjs / row.torch : row.torch / row.tfjs;
  }
  const machine = `${cpus().length} x ${cpus()[0]?.model ?? 'cpu'}, Node ${process.version}, tfjs ${tf.version_core} (${backend.name}), load ${loadBefore} before / ${loadavg()[0]!.toFixed(2)} after`;
  const torchLine = 'results' in torch ? `PyTorch ${torch.torch} CPU, threads ${JSON.stringify(torch.threads)}` : `PyTorch: ${torch.unavailable}`;
  const fmt = (v: number | undefined, unit: string) => (v === undefined ? '-' : unit === 'ms' ? `${v.toFixed(1)} ms` : `${v.toFixed(0)} /s`);
  const md = [
    `# tfjs vs PyTorch, same workloads, one run`,
    '',
    `${new Date().toISOString()}. ${machine}. ${torchLine}.`,
    'Ratio = tfjs time / PyTorch time (for training: PyTorch samples/s / tfjs samples/s); lower is better, 1.00x = parity.',
    '',
    '| workload | tfjs | PyTorch | ratio | target |',
    '|---|---:|---:|---:|---:|',
    ...rows.map((r) => `| ${r.workload} | ${fmt(r.tfjs, r.unit)} | ${fmt(r.torch, r.unit)} | ${r.ratio === undefined ? '-' : `${r.ratio.toFixed(2)}x`} | ${r.target === undefined ? '-' : `≤ ${r.target}x`} |`),
    '',
    'Tensor hygiene: `tf.memory().numTensors` after N steps minus before (0 = flat).',
    '',
    '| workload | steps | tensors leaked |',
    '|---|---:|---:|',
    ...leakRows.map((r) => `| ${r.workload} | ${r.steps} | ${r.leaked} |`),
    '',
  ].join('\n');
  console.log(md);
  const out = fileURLToPath(new URL('./results/', import.meta.url));
  writeFileSync(`${out}latest.md`, md);
  writeFileSync(`${out}latest.json`, `${JSON.stringify({ date: new Date().toISOString(), machine, torch, rows, leaks: leakRows }, null, 2)}\n`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
