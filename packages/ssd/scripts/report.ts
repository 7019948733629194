/**
 * Real-data results for SSD and LF-SSD: the pretrained MNIST CNN forgets every training
 * sample of one digit (full-class forgetting), on wasm. Writes results/mnist.{md,json} in
 * packages/ssd and packages/lf-ssd. Run: npm run report -w @unlearn/ssd
 *
 * Tuning is done on training data only (what a user holds when a deletion request arrives):
 * the (alpha, lambda) pair with the largest retain-train accuracy minus forget-train accuracy,
 * on a fixed 2,000-sample subset of the retain set. The test set is only used for reporting.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import * as tf from '@tensorflow/tfjs-core';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import { hashWeights, selectBackend, toModelAdapter, unlearn, type Unlearner } from '@unlearn/core';
import { lfSsd } from '@unlearn/lf-ssd';
import { accuracyOf, loadMnist, loadPretrainedMnistCnn, splitByDigit, type MnistSplit } from '@unlearn/mnist-fixture';
import { computeImportances, disposeImportances, selectAndDampen, ssd, type ImportanceKind, type SsdDetails, type SsdOptions } from '../src/index.js';
import { importanceWithPlan } from '../src/importance.js';
import { closeImportanceWorkers } from '../src/node/index.js';

const DIGIT = Number(process.env.FORGET_DIGIT ?? 3);
const BATCH = 64;
const ALPHAS = [1, 1.5, 2, 5, 10, 20, 50];
const LAMBDAS = [0.1, 0.5, 1, 2, 5];

interface Accuracies {
  forgetTest: number;
  retainTest: number;
  forgetTrain: number;
  retainTrain: number;
}

interface SweepRow {
  alpha: number;
  lambda: number;
  selected: number;
  forgetTrain: number;
  retainTrainSubset: number;
  score: number;
}

interface MethodResult {
  method: 'ssd' | 'lf-ssd';
  importance: ImportanceKind;
  default: RunResult;
  tuned: RunResult;
  sweep: SweepRow[];
  importanceTrainMs: number;
}

interface RunResult {
  alpha: number;
  lambda: number;
  accuracy: Accuracies;
  selected: number;
  fraction: number;
  timeMs: number;
  importanceSource: string;
  threads: unknown;
}

interface Data {
  forgetTrain: MnistSplit;
  retainTrain: MnistSplit;
  retainSubset: MnistSplit;
  forgetTest: MnistSplit;
  retainTest: MnistSplit;
  train: MnistSplit;
}

async function accuracies(model: LayersModel, d: Data): Promise<Accuracies> {
  return {
    forgetTest: await accuracyOf(model, d.forgetTest),
    retainTest: await accuracyOf(model, d.retainTest),
    forgetTrain: await accuracyOf(model, d.forgetTrain),
    retainTrain: await accuracyOf(model, d.retainTrain),
  };
}

function subset(s: MnistSplit, n: number): MnistSplit {
  return tf.tidy(() => {
    const step = s.y.shape[0] / n;
    const idx = tf.tensor1d(Array.from({ length: n }, (_, i) => Math.floor(i * step)), 'int32');
    return { x: tf.gather(s.x, idx) as tf.Tensor4D, y: tf.gather(s.y, idx) as tf.Tensor1D };
  });
}

/** Sweeps (alpha, lambda) on the cached importances; each point is exactly what ssd()/lfSsd() would do. */
async function sweep(model: LayersModel, name: string, impTrain: tf.Tensor[], impForget: tf.Tensor[], d: Data): Promise<SweepRow[]> {
  const rows: SweepRow[] = [];
  for (const alpha of ALPHAS) {
    for (const lambda of LAMBDAS) {
      const copy = await toModelAdapter(model).clone();
      const report = await selectAndDampen(copy, impTrain, impForget, { alpha, lambda, exponent: 1, cap: 1 }, name);
      const m = copy.model as LayersModel;
      const forgetTrain = await accuracyOf(m, d.forgetTrain);
      const retainTrainSubset = await accuracyOf(m, d.retainSubset);
      rows.push({ alpha, lambda, selected: report.selected, forgetTrain, retainTrainSubset, score: retainTrainSubset - forgetTrain });
      copy.dispose();
    }
  }
  return rows;
}

async function run(model: LayersModel, method: Unlearner<SsdOptions, SsdDetails>, request: Parameters<typeof unlearn>[1], d: Data): Promise<RunResult> {
  const result = await unlearn(model, request, method);
  const out: RunResult = {
    alpha: result.details.alpha,
    lambda: method.options.lambda,
    accuracy: await accuracies(result.model as LayersModel, d),
    selected: result.details.selected,
    fraction: result.details.fraction,
    timeMs: result.timeMs,
    importanceSource: result.details.importanceSource,
    threads: result.details.threads,
  };
  result.model.dispose();
  return out;
}

async function evaluateMethod(name: 'ssd' | 'lf-ssd', model: LayersModel, d: Data): Promise<MethodResult> {
  const kind: ImportanceKind = name === 'ssd' ? 'fisher' : 'loss-free';
  const make = (o: Partial<SsdOptions>) => (name === 'ssd' ? ssd(o) : lfSsd(o));
  const forget = name === 'ssd' ? d.forgetTrain : { x: d.forgetTrain.x };
  const train = name === 'ssd' ? d.train : { x: d.train.x };
  console.error(`${name}: default run from the training set`);
  const byDefault = await run(model, make({ batchSize: BATCH }), { forget, train }, d);

  const t0 = performance.now();
  const cache = await computeImportances(model, train, { kind, batchSize: BATCH });
  const importanceTrainMs = performance.now() - t0;
  const impForget = (await importanceWithPlan(model, forget, kind, { batchSize: BATCH })).tensors;
  console.error(`${name}: sweeping ${ALPHAS.length * LAMBDAS.length} (alpha, lambda) pairs`);
  const rows = await sweep(model, name, cache.tensors, impForget, d);
  tf.dispose(impForget);
  const best = rows.reduce((a, b) => (b.score > a.score || (b.score === a.score && b.selected < a.selected) ? b : a));
  console.error(`${name}: tuned alpha ${best.alpha}, lambda ${best.lambda}; running it through unlearn() with the cache`);
  const tuned = await run(model, make({ alpha: best.alpha, lambda: best.lambda, batchSize: BATCH }), { forget, importances: cache }, d);
  disposeImportances(cache);
  return { method: name, importance: kind, default: byDefault, tuned, sweep: rows, importanceTrainMs };
}

const perPass = (w: unknown) => {
  const { forget, train } = w as { forget?: number; train?: number };
  return `forget ${forget ?? '-'}, train ${train ?? '-'}`;
};
const pct = (v: number) => `${(100 * v).toFixed(1)}%`;

function markdown(r: MethodResult, original: Accuracies, meta: Record<string, unknown>): string {
  const title = r.method === 'ssd' ? 'SSD' : 'LF-SSD';
  const line = (label: string, a: Accuracies, extra: string) =>
    `| ${label} | ${pct(a.forgetTest)} | ${pct(a.retainTest)} | ${pct(a.forgetTrain)} | ${pct(a.retainTrain)} | ${extra} |`;
  const top = [...r.sweep].sort((a, b) => b.score - a.score).slice(0, 8);
  return [
    `# ${title} on real MNIST: forgetting digit ${meta.digit}`,
    '',
    `${meta.date}. Backend ${meta.backend}, tfjs ${meta.tfjs}, Node ${meta.node}, 2-core machine shared with other jobs (1-minute load average ${meta.loadAverage} at the start), so times are indicative. Model: the pretrained reference CNN (internal/mnist, ${meta.modelHash}). ` +
      `Forget set: the ${meta.forgetTrain} training images of digit ${meta.digit}; training set: all ${meta.train} training images (it contains the forget set). ` +
      `Test: ${meta.forgetTest} images of digit ${meta.digit} (forget-test) and ${meta.retainTest} other images (retain-test). Batch size ${BATCH} for both importances.`,
    '',
    '| model | forget-test acc | retain-test acc | forget-train acc | retain-train acc | notes |',
    '| --- | ---: | ---: | ---: | ---: | --- |',
    line('original', original, '-'),
    line(`${title} default (alpha ${r.default.alpha}, lambda ${r.default.lambda})`, r.default.accuracy, `${r.default.selected} params selected (${(100 * r.default.fraction).toFixed(3)}%), ${(r.default.timeMs / 1000).toFixed(1)} s incl. both importances (threads: ${perPass(r.default.threads)})`),
    line(`${title} tuned (alpha ${r.tuned.alpha}, lambda ${r.tuned.lambda})`, r.tuned.accuracy, `${r.tuned.selected} params selected (${(100 * r.tuned.fraction).toFixed(3)}%), ${(r.tuned.timeMs / 1000).toFixed(1)} s with cached training importances`),
    '',
    `How the tuned pair was found: a grid of alpha in {${ALPHAS.join(', ')}} and lambda in {${LAMBDAS.join(', ')}} (exponent 1, cap 1) on the cached ` +
      `training-set importances (${(r.importanceTrainMs / 1000).toFixed(1)} s to compute), scored on training data only: accuracy on a fixed ` +
      `${meta.retainSubset}-image subset of the retain set minus accuracy on the forget set; ties go to fewer selected parameters. The test set played no part.`,
    '',
    'Best grid points (training-data score):',
    '',
    '| alpha | lambda | selected | forget-train acc | retain-train subset acc | score |',
    '| ---: | ---: | ---: | ---: | ---: | ---: |',
    ...top.map((s) => `| ${s.alpha} | ${s.lambda} | ${s.selected} | ${pct(s.forgetTrain)} | ${pct(s.retainTrainSubset)} | ${s.score.toFixed(3)} |`),
    '',
    `The full grid is in mnist.json. Generated by packages/ssd/scripts/report.ts.`,
    '',
  ].join('\n');
}

async function main(): Promise<void> {
  await selectBackend({ backend: 'wasm' });
  const model = await loadPretrainedMnistCnn();
  const { train, test } = loadMnist();
  const trainSplit = splitByDigit(train, DIGIT);
  const testSplit = splitByDigit(test, DIGIT);
  const d: Data = {
    train,
    forgetTrain: trainSplit.forget,
    retainTrain: trainSplit.retain,
    retainSubset: subset(trainSplit.retain, 2000),
    forgetTest: testSplit.forget,
    retainTest: testSplit.retain,
  };
  const original = await accuracies(model, d);
  const meta = {
    date: new Date().toISOString(),
    digit: DIGIT,
    backend: tf.getBackend(),
    tfjs: tf.version_core,
    node: process.version,
    loadAverage: loadavg()[0]!.toFixed(1),
    modelHash: `weights sha256 ${(await hashWeights(toModelAdapter(model))).slice(0, 12)}`,
    train: train.y.shape[0],
    forgetTrain: d.forgetTrain.y.shape[0],
    forgetTest: d.forgetTest.y.shape[0],
    retainTest: d.retainTest.y.shape[0],
    retainSubset: d.retainSubset.y.shape[0],
  };
  console.error('original', original);
  // Warm-up, so that no timing below includes starting worker threads or compiling kernels.
  tf.dispose((await importanceWithPlan(model, d.train, 'fisher', { batchSize: BATCH })).tensors);
  for (const name of ['ssd', 'lf-ssd'] as const) {
    const r = await evaluateMethod(name, model, d);
    const dir = new URL(`../../${name}/results/`, import.meta.url);
    mkdirSync(dir, { recursive: true });
    writeFileSync(new URL('mnist.json', dir), `${JSON.stringify({ meta, original, ...r }, null, 2)}\n`);
    writeFileSync(new URL('mnist.md', dir), markdown(r, original, meta));
    console.log(markdown(r, original, meta));
  }
  await closeImportanceWorkers();
}

await main();
