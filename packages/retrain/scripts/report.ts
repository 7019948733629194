/**
 * Real-data reference results: the MNIST CNN retrained without one digit, and fine-tuned on the
 * same retain set, on wasm. Writes results/mnist.{json,md}. Run: npm run report -w @unlearn/retrain
 * Env: DIGIT (default 3), SEED (default 0), SKIP_HEAD=1 to leave out the reinit 'head' run.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { cpus, loadavg } from 'node:os';
import * as tf from '@tensorflow/tfjs-core';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import { selectBackend, unlearn, type ProgressEvent, type Unlearner } from '@unlearn/core';
import { accuracyOf, loadMnist, loadPretrainedMnistCnn, splitByDigit } from '@unlearn/mnist-fixture';
import { finetune, retrain, type EpochRecord } from '../src/index.js';

const DIGIT = Number(process.env.DIGIT ?? 3);
const SEED = Number(process.env.SEED ?? 0);

interface Row {
  run: string;
  method: string;
  options: Record<string, unknown>;
  seconds: number;
  epochs: number;
  samplesPerSecond: number;
  retainTest: number;
  forgetTest: number;
  retainTrain: number;
  forgetTrain: number;
  lossPerEpoch: number[];
}

const backend = await selectBackend({ backend: 'wasm' });
const { train, test } = loadMnist();
const trainSplit = splitByDigit(train, DIGIT);
const testSplit = splitByDigit(test, DIGIT);
const pretrained = await loadPretrainedMnistCnn();

async function metrics(model: LayersModel) {
  return {
    retainTest: await accuracyOf(model, testSplit.retain),
    forgetTest: await accuracyOf(model, testSplit.forget),
    retainTrain: await accuracyOf(model, trainSplit.retain),
    forgetTrain: await accuracyOf(model, trainSplit.forget),
  };
}

async function run(label: string, method: Unlearner): Promise<Row> {
  const log = (e: ProgressEvent) => {
    if (e.metrics?.epochsDone !== undefined) {
      console.error(`${label}: epoch ${e.metrics.epochsDone} loss ${e.metrics.loss!.toFixed(5)} eta ${(e.metrics.etaMs! / 1000).toFixed(0)} s`);
    }
  };
  const result = await unlearn(pretrained, { forget: trainSplit.forget, retain: trainSplit.retain }, method, { seed: SEED, onProgress: log });
  const m = await metrics(result.model as LayersModel);
  const history = result.details.history as EpochRecord[];
  result.model.dispose();
  const { init: _init, ...options } = result.options as Record<string, unknown>;
  return {
    run: label,
    method: result.method,
    options,
    seconds: result.timeMs / 1000,
    epochs: history.length,
    samplesPerSecond: result.details.samplesPerSecond as number,
    ...m,
    lossPerEpoch: history.map((h) => Number(h.loss.toFixed(5))),
  };
}

const loadBefore = loadavg()[0]!;
const original = await metrics(pretrained);
const rows: Row[] = [];
rows.push(await run("retrain (reinit 'all', MNIST preset = defaults)", retrain()));
rows.push(await run('finetune (reference defaults)', finetune()));
if (process.env.SKIP_HEAD !== '1') rows.push(await run("retrain (reinit 'head', MNIST preset)", retrain({ reinit: 'head' })));

const pct = (v: number) => `${(v * 100).toFixed(2)}%`;
const report = {
  date: new Date().toISOString(),
  environment: {
    backend: backend.name,
    tfjs: tf.version_core,
    node: process.version,
    cpu: cpus()[0]?.model ?? 'unknown',
    cores: cpus().length,
    // The machine is shared: times depend on what else runs, accuracies do not (seeded, same backend).
    loadAverage1m: { before: Number(loadBefore.toFixed(2)), after: Number(loadavg()[0]!.toFixed(2)) },
  },
  setting: {
    data: `npm mnist: ${train.x.shape[0]} train / ${test.x.shape[0]} test`,
    forgetDigit: DIGIT,
    forgetTrain: trainSplit.forget.x.shape[0],
    retainTrain: trainSplit.retain.x.shape[0],
    forgetTest: testSplit.forget.x.shape[0],
    retainTest: testSplit.retain.x.shape[0],
    model: 'internal/mnist/model/mnist-cnn (conv16-pool-conv32-pool-dense128-dense10), its architecture for retrain',
    seed: SEED,
  },
  original,
  runs: rows,
};

const md = [
  `# @unlearn/retrain on real MNIST: forget digit ${DIGIT}`,
  '',
  `Made by \`npm run report -w @unlearn/retrain\` on ${report.date.slice(0, 10)}: ${backend.name} backend, tfjs ${tf.version_core}, Node ${process.version}, ${report.environment.cores} cores (${report.environment.cpu}), shared: 1-minute load average ${report.environment.loadAverage1m.before} before, ${report.environment.loadAverage1m.after} after.`,
  `Data: ${report.setting.data}. Forget set: every training image of digit ${DIGIT} (${report.setting.forgetTrain}); retain set: the other ${report.setting.retainTrain}.`,
  `Test: ${report.setting.retainTest} retain-class and ${report.setting.forgetTest} forget-class images. Seed ${SEED}. Accuracies are sample-weighted.`,
  '',
  '| model | time | epochs | retain test | forget test | retain train | forget train |',
  '|---|---|---|---|---|---|---|',
  `| original (pretrained, saw digit ${DIGIT}) | - | - | ${pct(original.retainTest)} | ${pct(original.forgetTest)} | ${pct(original.retainTrain)} | ${pct(original.forgetTrain)} |`,
  ...rows.map(
    (r) =>
      `| ${r.run} | ${r.seconds.toFixed(1)} s | ${r.epochs} | ${pct(r.retainTest)} | ${pct(r.forgetTest)} | ${pct(r.retainTrain)} | ${pct(r.forgetTrain)} |`,
  ),
  '',
  'Time is the unlearning step alone (the runner\'s timeMs: re-initialisation and training, no evaluation).',
  '',
  '## Recipes and training loss',
  '',
  ...rows.flatMap((r) => [
    `- ${r.run}: ${r.options.optimizer} lr ${r.options.learningRate}${r.options.optimizer === 'sgd' ? ` momentum ${r.options.momentum} weight decay ${r.options.weightDecay}` : ''}, batch ${r.options.batchSize}, ${r.epochs} epochs, ${JSON.stringify(r.options.schedule)}; ${r.samplesPerSecond.toFixed(0)} samples/s.`,
    `  Loss per epoch: ${r.lossPerEpoch.join(', ')}`,
  ]),
  '',
].join('\n');

const dir = new URL('../results/', import.meta.url);
await mkdir(dir, { recursive: true });
await writeFile(new URL('mnist.json', dir), `${JSON.stringify(report, null, 2)}\n`);
await writeFile(new URL('mnist.md', dir), md);
console.log(md);
