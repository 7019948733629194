/**
 * Memory of JiT and SSD on the zoo's ResNet-18 (npm run bench:memory), on wasm, one thread, so
 * that every tensor lives in this thread's engine. For each phase: tf.memory() after it, the peak
 * of tensor bytes during it (tf.profile), the process's resident set size after it and its peak so
 * far, and the wasm heap, which grows to the high-water mark of the backend's buffers and never
 * shrinks. Peaks are stated above the baseline (model and data) and in parameter-sized buffers P,
 * against the activations of one batch measured by the gradient of one batch. Prints a table
 * and writes it to scripts/bench/results/memory.md; BENCH_SMOKE=1 runs a width-4 ResNet-18 and
 * writes nothing. Memory does not depend on the machine's load, unlike the timings. BENCH_MEMORY_SAMPLES sets the importance set (default
 * 256: the accumulation holds one sum per parameter whatever the sample count).
 */
import { writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs-core';
import { selectBackend, toModelAdapter, unlearn } from '@unlearn/core';
import { jit } from '@unlearn/jit';
import { fisherImportance } from '@unlearn/ssd';
import { buildResNet18, cifarLike, parameterCounts } from '@unlearn/model-zoo';
import { settings } from './workload.js';

const SAMPLES = Number(process.env.BENCH_MEMORY_SAMPLES ?? 256);
const MB = 2 ** 20;

interface Phase {
  phase: string;
  numTensors: number;
  numBytes: number;
  peakBytes: number;
  rss: number;
  maxRss: number;
  wasmHeap: number;
}

function wasmHeapBytes(): number {
  const backend = tf.backend() as unknown as { wasm?: { HEAPU8: Uint8Array } };
  return backend.wasm?.HEAPU8.buffer.byteLength ?? 0;
}

async function phase(name: string, run: () => Promise<unknown> | unknown): Promise<Phase> {
  const before = tf.memory().numBytes;
  const info = await tf.profile(async () => void (await run()));
  const m = tf.memory();
  return {
    phase: name,
    numTensors: m.numTensors,
    numBytes: m.numBytes,
    // A phase that runs no kernel reports no peak.
    peakBytes: Number.isFinite(info.peakBytes) ? info.peakBytes : before,
    rss: process.memoryUsage().rss,
    maxRss: process.resourceUsage().maxRSS * 1024,
    wasmHeap: wasmHeapBytes(),
  };
}

async function main(): Promise<void> {
  await selectBackend({ backend: 'wasm' });
  const model = buildResNet18(settings.smoke ? { width: 4 } : {});
  const adapter = toModelAdapter(model);
  const p = parameterCounts(model).trainable * 4;
  const data = cifarLike({ n: SAMPLES, seed: 5 });
  const forget = tf.slice(data.x, 0, 64);
  const phases: Phase[] = [];
  phases.push(await phase('baseline: model, data', () => undefined));
  const gradient = (training: boolean) => () => {
    const vars = adapter.trainable.map((v) => v.variable);
    const y = tf.tidy(() => tf.oneHot(tf.slice(data.y, 0, 64) as tf.Tensor1D, 10));
    const { value, grads } = tf.variableGrads(() => tf.losses.softmaxCrossEntropy(y, adapter.logits(forget, { training })) as tf.Scalar, vars);
    tf.dispose([y, value, ...Object.values(grads)]);
  };
  // JiT and SSD differentiate in inference mode; training mode adds BatchNorm's batch statistics.
  phases.push(await phase('gradient of a batch of 64, inference mode', gradient(false)));
  phases.push(await phase('gradient of a batch of 64, training mode', gradient(true)));
  phases.push(
    await phase('JiT step, batch 64, N=25, chunk auto', () =>
      unlearn(model, { forget: { x: forget } }, jit({ sigma: 0.1, lr: 1e-3, nSamples: 25, batchSize: 64, threads: 1 }), { inPlace: true }),
    ),
  );
  phases.push(
    await phase(`SSD importance, ${SAMPLES} samples, batch 64`, async () =>
      tf.dispose(await fisherImportance(model, data, { batchSize: 64, threads: 1 })),
    ),
  );
  const base = phases[0]!.numBytes;
  // What one batch's forward and backward hold besides the model and the gradients themselves.
  const activations = phases[1]!.peakBytes - base - p;
  const f = (b: number) => (b / MB).toFixed(1);
  const md = [
    `# Memory, ResNet-18${settings.smoke ? ' (width 4, smoke)' : ''}, wasm, one thread`,
    '',
    `${new Date().toISOString()}. ${cpus().length} x ${cpus()[0]?.model ?? 'cpu'}, Node ${process.version}, tfjs ${tf.version_core}.`,
    `${parameterCounts(model).trainable.toLocaleString('en-US')} trainable parameters: P = ${f(p)} MB. Baseline (model, ${SAMPLES} samples): ${f(base)} MB of tensors.`,
    `Activations of one batch of 64 (inference-mode gradient peak − baseline − P): A = ${f(activations)} MB.`,
    '',
    '| phase | tensors after | MB after | peak MB | peak − baseline | (peak − baseline − A) / P | RSS MB | peak RSS MB | wasm heap MB |',
    '|---|---:|---:|---:|---:|---:|---:|---:|---:|',
    ...phases.map(
      (r, i) =>
        `| ${r.phase} | ${r.numTensors} | ${f(r.numBytes)} | ${f(r.peakBytes)} | ${f(r.peakBytes - base)} | ${i === 0 ? '-' : ((r.peakBytes - base - activations) / p).toFixed(2)} | ${f(r.rss)} | ${f(r.maxRss)} | ${f(r.wasmHeap)} |`,
    ),
    '',
  ].join('\n');
  console.log(md);
  if (!settings.smoke) writeFileSync(fileURLToPath(new URL('./results/memory.md', import.meta.url)), md);
  tf.dispose([data.x, data.y, forget]);
  model.dispose();
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
