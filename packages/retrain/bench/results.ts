import { writeBenchResults } from '@unlearn/bench-kit';
import type { TorchResult } from './torch.js';

export interface Timing {
  wallMs: number;
  /** Process CPU time (user + system); steadier than wall time on a shared machine. */
  cpuMs: number;
  /** The training step alone (runner timeMs), for recipe runs. */
  stepMs?: number;
}

export interface BenchReport {
  date: string;
  environment: Record<string, string | number>;
  setting: { digit: number; retainSamples: number; batchSize: number; repeats: number };
  overhead: {
    fitEpochs: Timing[];
    recipeEpochs: Timing[];
    fitMedianMs: number;
    recipeMedianMs: number;
    recipeCallMedianMs: number;
    overheadPct: number;
    overheadWithValidationPct: number;
    overheadCpuPct: number;
  };
  retrain: {
    epochsTimed: number;
    timeMs: number;
    perEpochMs: number;
    samplesPerSecond: number;
    defaultEpochs: number;
    extrapolatedDefaultMs: number;
  };
  sgdSamplesPerSecond: number;
  torch: TorchResult;
}

const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
const signed = (v: number) => `${v >= 0 ? '+' : ''}${v.toFixed(1)}%`;

export function markdown(r: BenchReport): string {
  const o = r.overhead;
  const env = Object.entries(r.environment).map(([k, v]) => `${k}: ${v}`).join(', ');
  const torch = r.torch.available
    ? [
        `| tfjs ${r.environment.backend}, recipe trainer, SGD lr 0.01 | ${r.sgdSamplesPerSecond.toFixed(0)} | ${(r.sgdSamplesPerSecond / r.torch.trainCnnSamplesPerSecond).toFixed(2)}x |`,
        `| PyTorch ${r.torch.torch} CPU (scripts/torch/bench.py, 2 threads, random data) | ${r.torch.trainCnnSamplesPerSecond.toFixed(0)} | 1.00x |`,
      ]
    : [`| tfjs ${r.environment.backend}, recipe trainer, SGD lr 0.01 | ${r.sgdSamplesPerSecond.toFixed(0)} | - |`, `| ${r.torch.reason} | - | - |`];
  return [
    '# @unlearn/retrain benchmark',
    '',
    `Run ${r.date} (${env}).`,
    `Workload: the MNIST CNN (conv16-pool-conv32-pool-dense128-dense10) on the retain set without digit ${r.setting.digit} (${r.setting.retainSamples} samples), batch ${r.setting.batchSize}.`,
    '',
    '## Recipe trainer vs a plain model.fit loop (per epoch, Adam 1e-3, same model)',
    '',
    `Median of ${r.setting.repeats} interleaved epochs each.`,
    '',
    '| contender | wall per epoch | samples/s |',
    '|---|---|---|',
    `| model.fit (compiled with tf.train.adam(1e-3), sparse cross-entropy, shuffle) | ${s(o.fitMedianMs)} | ${(r.setting.retainSamples / (o.fitMedianMs / 1000)).toFixed(0)} |`,
    `| finetune recipe trainer (training step alone, runner timeMs) | ${s(o.recipeMedianMs)} | ${(r.setting.retainSamples / (o.recipeMedianMs / 1000)).toFixed(0)} |`,
    `| the same, whole unlearn() call incl. request validation | ${s(o.recipeCallMedianMs)} | - |`,
    '',
    `Overhead of the recipe over model.fit: **${signed(o.overheadPct)}** per epoch (wall); ${signed(o.overheadWithValidationPct)} counting the one-time request validation of each unlearn() call; ${signed(o.overheadCpuPct)} in process CPU time.`,
    `Epochs (wall ms): model.fit ${o.fitEpochs.map((t) => t.wallMs.toFixed(0)).join(', ')}; recipe ${o.recipeEpochs.map((t) => t.stepMs!.toFixed(0)).join(', ')}.`,
    '',
    '## Retrain time (reinit all, defaults: Adam 1e-3, batch 64)',
    '',
    '| measured | value |',
    '|---|---|',
    `| ${r.retrain.epochsTimed} epochs (re-initialisation + training) | ${s(r.retrain.timeMs)} |`,
    `| per epoch | ${s(r.retrain.perEpochMs)} (${r.retrain.samplesPerSecond.toFixed(0)} samples/s) |`,
    `| **extrapolated** to the default ${r.retrain.defaultEpochs} epochs (${r.retrain.epochsTimed}-epoch time × ${r.retrain.defaultEpochs / r.retrain.epochsTimed}) | ${s(r.retrain.extrapolatedDefaultMs)} |`,
    '',
    '## Side by side with PyTorch (training throughput, SGD lr 0.01, batch 64, same machine, run right after the tfjs timings)',
    '',
    '| trainer | samples/s | throughput, tfjs / PyTorch |',
    '|---|---|---|',
    ...torch,
    '',
  ].join('\n');
}

/** Writes the report to the package's results folder and returns its Markdown. */
export function writeResults(report: BenchReport): string {
  const md = markdown(report);
  writeBenchResults(import.meta.url, report, md);
  return md;
}
