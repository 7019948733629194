/**
 * Training throughput on tfjs-backend-wasm with the kernels from src/backend/wasm, against the
 * pure-JS cpu backend. Run: npm run bench -w @unlearn/core
 * Env: BENCH_SECONDS (minimum timed seconds per wasm workload, default 3),
 *      BENCH_CPU_STEPS (timed cpu steps, default 2; one step of 64 takes ~10 s).
 */
import { cpus } from 'node:os';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-layers';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import { registerWasmTrainingKernels } from '../src/backend/wasm/index.js';
import { matmulRows } from './matmul.js';
import { writeBenchResults } from '@unlearn/bench-kit';
import { markdown } from './report.js';
import type { Report, TrainingRow } from './report.js';
import { mlp, mnistCnn, timeSteps, trainer } from './workloads.js';
import type { Timing } from './workloads.js';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 3);
const CPU_STEPS = Number(process.env.BENCH_CPU_STEPS ?? 2);

async function use(backend: string): Promise<void> {
  if (!(await tf.setBackend(backend))) throw new Error(`cannot activate ${backend}`);
  await tf.ready();
}

function run(label: string, make: () => ReturnType<typeof trainer>, warmup: number, steps: number, s: number): Timing {
  const t = make();
  try {
    const timing = timeSteps(t, warmup, steps, s);
    console.error(
      `${label}: ${timing.samplesPerSecond.toFixed(1)} samples/s, ` +
        `${timing.samplesPerCpuSecond.toFixed(1)} per CPU-s (${timing.steps} steps)`,
    );
    return timing;
  } finally {
    t.dispose();
  }
}

function row(workload: string, backend: string, t: Timing, base: Timing, baseline: string): TrainingRow {
  return {
    workload,
    backend,
    samplesPerSecond: t.samplesPerSecond,
    samplesPerCpuSecond: t.samplesPerCpuSecond,
    ratio: t.samplesPerSecond / base.samplesPerSecond,
    baseline,
    steps: t.steps,
    seconds: t.seconds,
    tensorsLeaked: t.tensorsLeaked,
  };
}

async function main(): Promise<void> {
  await use('wasm');
  const cnn = () => trainer(mnistCnn(), [28, 28, 1]);
  const net = () => trainer(mlp(), [784]);

  registerWasmTrainingKernels({ matMulFastPath: false, fasterGradients: false });
  const cnnMissingOnly = run('cnn wasm, missing kernels only', cnn, 3, 10, SECONDS);
  const supplied = registerWasmTrainingKernels();
  const cnnWasm = run('cnn wasm', cnn, 5, 20, SECONDS);

  registerWasmTrainingKernels({ matMulFastPath: false });
  const mlpPlain = run('mlp wasm, no matmul fast path', net, 10, 50, SECONDS);
  registerWasmTrainingKernels();
  const mlpFast = run('mlp wasm', net, 10, 50, SECONDS);

  const matmul = matmulRows();

  await use('cpu');
  const cnnCpu = run('cnn cpu', cnn, 1, CPU_STEPS, 0);
  const mlpCpu = run('mlp cpu', net, 2, 5, SECONDS);
  await use('wasm');

  const cnnName = 'CNN 28x28x1 c16-p-c32-p-d128-d10, batch 64';
  const mlpName = 'MLP 784-256-128-10, batch 64';
  const report: Report = {
    date: new Date().toISOString(),
    environment: {
      node: process.version,
      tfjs: tf.version_core,
      cpu: cpus()[0]?.model ?? 'unknown',
      cores: String(cpus().length),
      wasmSimd: tf.env().getBool('WASM_HAS_SIMD_SUPPORT'),
      wasmThreads: tf.env().getBool('WASM_HAS_MULTITHREAD_SUPPORT'),
      suppliedKernels: supplied.join(' '),
    },
    training: [
      row(cnnName, 'cpu (pure JS)', cnnCpu, cnnCpu, 'cpu'),
      row(cnnName, 'wasm, missing kernels only', cnnMissingOnly, cnnCpu, 'cpu'),
      row(cnnName, 'wasm, all supplied kernels', cnnWasm, cnnCpu, 'cpu'),
      row(mlpName, 'cpu (pure JS)', mlpCpu, mlpPlain, 'wasm without fast path'),
      row(mlpName, 'wasm without matmul fast path', mlpPlain, mlpPlain, 'wasm without fast path'),
      row(mlpName, 'wasm with matmul fast path', mlpFast, mlpPlain, 'wasm without fast path'),
    ],
    matmul,
  };
  const md = markdown(report);
  console.log(md);
  console.error(`wrote ${writeBenchResults(import.meta.url, report, markdown(report))}bench.{json,md}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
