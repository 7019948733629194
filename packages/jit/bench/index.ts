/**
 * One JiT step (batch 64, N = 25) on the MNIST CNN and the MLP 784-256-128-10, wasm backend,
 * against PyTorch's same step from scripts/torch/bench.py, run in the same process tree right
 * after. Run: npm run bench -w @unlearn/jit
 * Env: BENCH_ROUNDS (timed rounds per variant, default 15). Variants run round-robin so that
 * load from other processes on a shared machine spreads over all of them.
 */
import { cpus, loadavg } from 'node:os';
import * as tf from '@tensorflow/tfjs-core';
import { torchTimings } from '@unlearn/bench-kit';
import { selectBackend, unlearn } from '@unlearn/core';
import { jit } from '../src/index.js';
import { writeBenchResults } from '@unlearn/bench-kit';
import { markdown, type BenchReport, type StepRow } from './report.js';
import { BATCH, LR, median, N_SAMPLES, SIGMA, stepper, VARIANTS, workloads } from './workloads.js';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 15);
const WARMUP = 3;
async function timeAll(steps: (() => Promise<void>)[]): Promise<number[][]> {
  for (const step of steps) for (let i = 0; i < WARMUP; i++) await step();
  const times = steps.map(() => [] as number[]);
  for (let r = 0; r < ROUNDS; r++) {
    for (let v = 0; v < steps.length; v++) {
      const start = performance.now();
      await steps[v]!();
      times[v]!.push(performance.now() - start);
    }
  }
  return times;
}

const load = () => loadavg().map((v) => v.toFixed(2)).join(' / ');

async function main(): Promise<void> {
  const loadBefore = load();
  await selectBackend({ backend: 'wasm' });
  const rows: StepRow[] = [];
  const extras: BenchReport['extras'] = [];
  for (const w of workloads()) {
    const before = tf.memory().numTensors;
    const steps = VARIANTS.map((v) => stepper(w, v));
    // The public entry point, one batch: adds the runner's checks, snapshot and diff.
    const method = jit({ sigma: SIGMA, lr: LR, nSamples: N_SAMPLES, batchSize: BATCH });
    steps.push(async () => {
      await unlearn(w.model.model, { forget: { x: w.x } }, method, { inPlace: true });
    });
    const times = await timeAll(steps);
    VARIANTS.forEach((v, i) => rows.push({ model: w.name, variant: v.name, medianMs: median(times[i]!), minMs: Math.min(...times[i]!), runs: ROUNDS }));
    const e2e = times[VARIANTS.length]!;
    rows.push({ model: w.name, variant: 'unlearn() end to end, inPlace, one batch (default options)', medianMs: median(e2e), minMs: Math.min(...e2e), runs: ROUNDS });
    console.error(`${w.name}: ${rows.slice(-VARIANTS.length - 1).map((r) => r.medianMs.toFixed(1)).join(' / ')} ms`);
    const leaked = tf.memory().numTensors - before;
    if (leaked !== 0) throw new Error(`${w.name}: ${leaked} tensors leaked`);
    w.dispose();
  }
  // What materialising the N copies would cost on its own (the design avoids it).
  const x = tf.randomUniform([BATCH, 28, 28, 1]);
  const tiles: number[] = [];
  for (let r = 0; r < WARMUP + ROUNDS; r++) {
    const start = performance.now();
    tf.tile(x, [N_SAMPLES, 1, 1, 1]).dispose();
    if (r >= WARMUP) tiles.push(performance.now() - start);
  }
  x.dispose();
  extras.push({ what: `tf.tile of a [64,28,28,1] batch to ${N_SAMPLES} copies, alone (not used by @unlearn/jit)`, medianMs: median(tiles) });

  console.error('running scripts/torch/bench.py ...');
  const torch = torchTimings();
  if ('unavailable' in torch) console.error(`PyTorch not available: ${torch.unavailable}`);
  const report: BenchReport = {
    date: new Date().toISOString(),
    environment: {
      node: process.version,
      tfjs: tf.version_core,
      backend: tf.getBackend(),
      cpu: cpus()[0]?.model ?? 'unknown',
      cores: String(cpus().length),
      wasmSimd: tf.env().getBool('WASM_HAS_SIMD_SUPPORT'),
      wasmThreads: tf.env().getBool('WASM_HAS_MULTITHREAD_SUPPORT'),
      // Other processes share the cores: a load above ~2 slows both sides, PyTorch's two threads most.
      'load average 1/5/15 min, start': loadBefore,
      'load average 1/5/15 min, end': load(),
    },
    setting: { batch: BATCH, nSamples: N_SAMPLES, sigma: SIGMA, lr: LR, rounds: ROUNDS, warmup: WARMUP },
    rows,
    extras,
    pytorch:
      'unavailable' in torch
        ? { available: false, reason: torch.unavailable }
        : {
            available: true,
            version: torch.torch,
            threads: torch.threads,
            cnnMs: torch.results.jit_step_cnn_ms,
            mlpMs: torch.results.jit_step_mlp_ms,
          },
  };
  const md = markdown(report);
  console.log(md);
  console.error(`wrote ${writeBenchResults(import.meta.url, report, md)}bench.{json,md}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
