import { mkdir, writeFile } from 'node:fs/promises';
import { cpus, loadavg } from 'node:os';
import * as tf from '@tensorflow/tfjs-core';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import { selectBackend, unlearn, type Unlearner } from '@unlearn/core';
import { loadMnist } from './data.js';
import { loadPretrainedMnistCnn } from './pretrained.js';
import { splitByDigit } from './splits.js';
import { accuracyOf } from './train.js';

/** One row of a method package's MNIST results: a labelled setting of the method. */
export interface DigitRun {
  label: string;
  method: Unlearner<unknown, Record<string, unknown>>;
  /** The details of the run kept in the JSON file. */
  keep?: (details: Record<string, unknown>) => Record<string, unknown>;
}

export interface DigitReportOptions {
  /** e.g. 'SCRUB'. */
  title: string;
  /** Whether the method is given the retain set's labels (the forget set's never are). */
  retainLabels: boolean;
  runs: DigitRun[];
  /** The package's results folder, where mnist.json and mnist.md go. */
  resultsDir: URL;
  digit?: number;
  seed?: number;
}

/**
 * The real-data check a method package commits: the pretrained MNIST CNN forgets one digit
 * (every training image of it) with each run on wasm, and the four accuracies before and after
 * go to `results/mnist.{json,md}` with the machine's load. Returns the Markdown.
 */
export async function digitReport(o: DigitReportOptions): Promise<string> {
  const { digit = 3, seed = 0 } = o;
  const backend = await selectBackend({ backend: 'wasm' });
  const { train, test } = loadMnist();
  const trainSplit = splitByDigit(train, digit);
  const testSplit = splitByDigit(test, digit);
  const pretrained = await loadPretrainedMnistCnn();
  const metrics = async (model: LayersModel) => ({
    forgetTest: await accuracyOf(model, testSplit.forget),
    retainTest: await accuracyOf(model, testSplit.retain),
    forgetTrain: await accuracyOf(model, trainSplit.forget),
    retainTrain: await accuracyOf(model, trainSplit.retain),
  });
  const load = loadavg()[0]!;
  const original = await metrics(pretrained);
  const rows = [];
  for (const run of o.runs) {
    const request = { forget: { x: trainSplit.forget.x }, retain: o.retainLabels ? trainSplit.retain : { x: trainSplit.retain.x } };
    const result = await unlearn(pretrained, request, run.method, { seed });
    rows.push({ run: run.label, seconds: result.timeMs / 1000, ...(await metrics(result.model)), details: run.keep?.(result.details) ?? {} });
    result.model.dispose();
    console.error(`${run.label}: done in ${(result.timeMs / 1000).toFixed(1)} s`);
  }
  const pct = (v: number) => `${(v * 100).toFixed(1)}%`;
  const env = { backend: backend.name, cpus: cpus().length, loadAverageBefore: load, loadAverageAfter: loadavg()[0]!, digit, seed, trainImages: train.x.shape[0], testImages: test.x.shape[0] };
  await mkdir(o.resultsDir, { recursive: true });
  await writeFile(new URL('mnist.json', o.resultsDir), `${JSON.stringify({ date: new Date().toISOString(), environment: env, original, rows }, null, 1)}\n`);
  const labels = o.retainLabels ? 'Retain labels given; forget labels not.' : 'No labels given to the method.';
  const md = [
    `# ${o.title} on MNIST (digit ${digit} forgotten)`,
    '',
    `Pretrained MNIST CNN (internal/mnist), ${env.trainImages} training and ${env.testImages} test images, ${backend.name} backend, seed ${seed}, ${env.cpus} cores (load average ${load.toFixed(1)} before, ${env.loadAverageAfter.toFixed(1)} after). ${labels}`,
    '',
    '| run | forget-test | retain-test | forget-train | retain-train | seconds |',
    '| --- | ---: | ---: | ---: | ---: | ---: |',
    `| original | ${pct(original.forgetTest)} | ${pct(original.retainTest)} | ${pct(original.forgetTrain)} | ${pct(original.retainTrain)} | - |`,
    ...rows.map((r) => `| ${r.run} | ${pct(r.forgetTest)} | ${pct(r.retainTest)} | ${pct(r.forgetTrain)} | ${pct(r.retainTrain)} | ${r.seconds.toFixed(1)} |`),
    '',
  ].join('\n');
  await writeFile(new URL('mnist.md', o.resultsDir), md);
  tf.dispose([train, test, trainSplit.forget, trainSplit.retain, testSplit.forget, testSplit.retain].flatMap((s) => [s.x, s.y]));
  pretrained.dispose();
  return md;
}
