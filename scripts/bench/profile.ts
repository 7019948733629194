/**
 * Where the time goes (npm run bench:profile): `tf.profile` of one MNIST CNN training step and
 * one step of each algorithm on wasm, kernels ranked by total time. Writes
 * scripts/bench/results/profile.md. Retrain's step is the training step (same model, loss and
 * optimizer), so it is not listed twice.
 */
import { writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs-core';
import { selectBackend, unlearn } from '@unlearn/core';
import { jit } from '@unlearn/jit';
import { fisherImportance, lossFreeImportance } from '@unlearn/ssd';
import { buildMnistCnn } from '@unlearn/mnist-fixture';
import { mnistCnn, trainer } from '../../packages/core/bench/workloads.js';

const REPEATS = Number(process.env.PROFILE_REPEATS ?? 5);
const TOP = 8;

interface KernelRow {
  name: string;
  calls: number;
  ms: number;
}

interface Profiled {
  workload: string;
  /** Wall time of one step, profiled (profiling adds a little per kernel). */
  stepMs: number;
  kernelMs: number;
  kernels: KernelRow[];
}

/** Runs `step` once to warm up, then `REPEATS` times under tf.profile; times are per step. */
async function profile(workload: string, step: () => Promise<void>): Promise<Profiled> {
  await step();
  const byName = new Map<string, KernelRow>();
  let wall = 0;
  for (let r = 0; r < REPEATS; r++) {
    const t0 = performance.now();
    const info = await tf.profile(step);
    wall += performance.now() - t0;
    for (const k of info.kernels) {
      // `name__op` entries wrap an op whose kernels are listed too: counting both would double them.
      if (k.name.endsWith('__op')) continue;
      const row = byName.get(k.name) ?? { name: k.name, calls: 0, ms: 0 };
      row.calls++;
      row.ms += k.kernelTimeMs as number;
      byName.set(k.name, row);
    }
  }
  const kernels = [...byName.values()]
    .map((k) => ({ name: k.name, calls: k.calls / REPEATS, ms: k.ms / REPEATS }))
    .sort((a, b) => b.ms - a.ms);
  return { workload, stepMs: wall / REPEATS, kernelMs: kernels.reduce((s, k) => s + k.ms, 0), kernels };
}

function images(n: number, seed: number) {
  return tf.tidy(() => ({
    x: tf.randomUniform([n, 28, 28, 1], 0, 1, 'float32', seed),
    y: tf.cast(tf.floor(tf.randomUniform([n], 0, 10, 'float32', seed + 1)), 'int32') as tf.Tensor1D,
  }));
}

async function main(): Promise<void> {
  const backend = await selectBackend({ backend: 'wasm' });
  const results: Profiled[] = [];

  const t = trainer(mnistCnn(), [28, 28, 1]);
  results.push(await profile('MNIST CNN training step (also retrain\'s step), batch 64, SGD', async () => void t.step()));
  t.dispose();

  const model = buildMnistCnn(1);
  const data = images(64, 3);
  const method = jit({ sigma: 0.1, lr: 1e-3, nSamples: 25, batchSize: 64, threads: 1 });
  results.push(
    await profile('JiT step, MNIST CNN, N=25, batch 64, calling thread only', async () => {
      await unlearn(model, { forget: { x: data.x } }, method, { inPlace: true });
    }),
  );
  results.push(await profile('SSD importance (diagonal Fisher), one CNN batch of 64', async () => tf.dispose(await fisherImportance(model, data, { batchSize: 64, threads: 1 }))));
  results.push(await profile('LF-SSD importance (|∇‖f‖²|), one CNN batch of 64', async () => tf.dispose(await lossFreeImportance(model, { x: data.x }, { batchSize: 64, threads: 1 }))));
  tf.dispose([data.x, data.y]);
  model.dispose();

  const machine = `${cpus().length} x ${cpus()[0]?.model ?? 'cpu'}, Node ${process.version}, tfjs ${tf.version_core} (${backend.name})`;
  const md = [
    '# Kernel profile, one step of each workload',
    '',
    `${new Date().toISOString()}. ${machine}. \`tf.profile\`, mean of ${REPEATS} steps after a warm-up. A kernel's time is the wall time of its wasm call; "other" in a step's time is JavaScript between kernels (tape, noise, data reads).`,
    '',
    ...results.flatMap((r) => [
      `## ${r.workload}`,
      '',
      `Step ${r.stepMs.toFixed(1)} ms, of which kernels ${r.kernelMs.toFixed(1)} ms.`,
      '',
      '| kernel | calls | ms | share of kernel time |',
      '|---|---:|---:|---:|',
      ...r.kernels.slice(0, TOP).map((k) => `| ${k.name} | ${k.calls} | ${k.ms.toFixed(2)} | ${((100 * k.ms) / r.kernelMs).toFixed(1)}% |`),
      `| ${r.kernels.length - TOP} others | ${r.kernels.slice(TOP).reduce((s, k) => s + k.calls, 0)} | ${r.kernels
        .slice(TOP)
        .reduce((s, k) => s + k.ms, 0)
        .toFixed(2)} | ${((100 * r.kernels.slice(TOP).reduce((s, k) => s + k.ms, 0)) / r.kernelMs).toFixed(1)}% |`,
      '',
    ]),
  ].join('\n');
  console.log(md);
  const out = fileURLToPath(new URL('./results/', import.meta.url));
  writeFileSync(`${out}profile.md`, md);
  writeFileSync(`${out}profile.json`, `${JSON.stringify({ date: new Date().toISOString(), machine, repeats: REPEATS, results }, null, 2)}\n`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
