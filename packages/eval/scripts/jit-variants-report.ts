/**
 * Zero-shot JiT variants on MNIST (full-class digit 3): which settings of the paper's algorithm,
 * given nothing but the forget inputs, reach forget-test ≤ 5% with retain-test ≥ 92% on the
 * pretrained CNN (model A) and on the BatchNorm CNN with standardised inputs (model B, built and
 * trained as in auto-report.ts). Variants: the step size alone, σ relative to the inputs
 * (`sigma: 'auto'`), a larger and a smaller σ, and several epochs at a small step.
 * Same split as auto-report.ts: accuracies on the odd half of the test digits.
 *
 * Run: npm run report:jit-variants -w @unlearn/eval (writes results/jit-variants.{json,md}).
 */
import { writeFileSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs-core';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import { selectBackend, unlearn } from '@unlearn/core';
import { closeReplicaWorkers } from '@unlearn/core/node';
import { jit, type JitOptions } from '@unlearn/jit';
import { accuracyOf, fitClassifier, loadMnist, loadPretrainedMnistCnn, splitByDigit, type MnistSplit } from '@unlearn/mnist-fixture';
import { buildModelB, standardise, withSeededRandom } from './mnist-bn-model.js';

const DIGIT = 3;
const outDir = join(dirname(fileURLToPath(import.meta.url)), '..', 'results');
const p1 = (v: number) => (100 * v).toFixed(1);

/** Each variant, named for the table; every other option is JiT's default (mnist-cnn preset: σ 0.2, N 25, batch 128). */
const VARIANTS: [string, Partial<JitOptions>][] = [
  ...[3e-5, 4.5e-5, 6e-5, 9e-5].map((lr): [string, Partial<JitOptions>] => [`lr ${lr}`, { lr }]),
  ...[3e-5, 6e-5, 9e-5].map((lr): [string, Partial<JitOptions>] => [`sigma auto, lr ${lr}`, { lr, sigma: 'auto' }]),
  ...[4.5e-5, 6e-5].map((lr): [string, Partial<JitOptions>] => [`sigma 0.4, lr ${lr}`, { lr, sigma: 0.4 }]),
  ...[6e-5, 9e-5].map((lr): [string, Partial<JitOptions>] => [`sigma 0.1, lr ${lr}`, { lr, sigma: 0.1 }]),
  ...[3, 5, 8].map((epochs): [string, Partial<JitOptions>] => [`lr 1e-5, ${epochs} epochs`, { lr: 1e-5, epochs }]),
];

function oddHalf(test: MnistSplit): MnistSplit {
  return tf.tidy(() => {
    const idx = tf.tensor1d(Array.from({ length: test.y.shape[0] }, (_, i) => i).filter((i) => i % 2 === 1), 'int32');
    return { x: tf.gather(test.x, idx) as tf.Tensor4D, y: tf.gather(test.y, idx) as tf.Tensor1D };
  });
}

async function study(name: string, model: LayersModel, forget: MnistSplit, report: MnistSplit) {
  const split = splitByDigit(report, DIGIT);
  const original = { forgetTest: await accuracyOf(model, split.forget), retainTest: await accuracyOf(model, split.retain) };
  const rows = [];
  for (const [variant, options] of VARIANTS) {
    const result = await unlearn(model, { forget: { x: forget.x } }, jit(options), { seed: 0 }).catch((e: Error) => e);
    if (result instanceof Error) {
      rows.push({ variant, options, error: result.message });
      continue;
    }
    const m = result.model as LayersModel;
    const row = { variant, options, forgetTest: await accuracyOf(m, split.forget), retainTest: await accuracyOf(m, split.retain), timeMs: result.timeMs, sigma: result.details.sigma as number };
    m.dispose();
    rows.push({ ...row, meetsGoal: row.forgetTest <= 0.05 && row.retainTest >= 0.92 });
    console.log(`${name} ${variant}: forget-test ${p1(row.forgetTest)}%, retain-test ${p1(row.retainTest)}%`);
  }
  tf.dispose([split.forget.x, split.forget.y, split.retain.x, split.retain.y]);
  return { name, original, rows };
}

async function main(): Promise<void> {
  const started = performance.now();
  const loadBefore = loadavg().map((v) => Number(v.toFixed(2)));
  await selectBackend({ backend: 'wasm' });
  const { train, test } = loadMnist();
  const forget = splitByDigit(train, DIGIT).forget;
  const report = oddHalf(test);

  const modelA = await loadPretrainedMnistCnn();
  const a = await study('A: pretrained CNN, inputs in [0, 1]', modelA, forget, report);
  modelA.dispose();

  const stdTrain = standardise(train);
  const modelB = buildModelB(7);
  await withSeededRandom(7, () => fitClassifier(modelB, stdTrain, { epochs: 6, batchSize: 64, learningRate: 1e-3, seed: 7 }));
  const [stdForget, stdReport] = [standardise(forget), standardise(report)];
  const b = await study('B: BatchNorm CNN, standardised inputs', modelB, stdForget, stdReport);
  modelB.dispose();

  const loadAfter = loadavg().map((v) => Number(v.toFixed(2)));
  const table = (s: Awaited<ReturnType<typeof study>>) => [
    `### Model ${s.name}`,
    '',
    `Original: forget-test ${p1(s.original.forgetTest)}%, retain-test ${p1(s.original.retainTest)}%.`,
    '',
    '| variant | σ used | forget-test % | retain-test % | goal (≤ 5% / ≥ 92%) | time (s) |',
    '|---|---:|---:|---:|:-:|---:|',
    ...s.rows.map((r) =>
      'error' in r
        ? `| ${r.variant} | | | | error: ${r.error} | |`
        : `| ${r.variant} | ${r.sigma.toPrecision(3)} | ${p1(r.forgetTest)} | ${p1(r.retainTest)} | ${r.meetsGoal ? 'yes' : 'no'} | ${(r.timeMs / 1000).toFixed(1)} |`,
    ),
    '',
  ];
  const md = [
    '# Zero-shot JiT variants on MNIST (full-class digit 3)',
    '',
    `Generated ${new Date().toISOString()} by \`packages/eval/scripts/jit-variants-report.ts\` in ${((performance.now() - started) / 1000).toFixed(0)} s on ${availableParallelism()} cores, Node ${process.version}, wasm; load average ${loadBefore.join(', ')} before, ${loadAfter.join(', ')} after.`,
    '',
    'Each run gets the forget inputs only (all 826 training images of digit 3, no labels, no retain data), seed 0, JiT defaults (σ 0.2, N 25, batch 128, one epoch) except what the variant names. Accuracies on the odd half of the 2,000 test digits. Goal from the issue: forget-test ≤ 5% with retain-test ≥ 92%.',
    '',
    ...table(a),
    ...table(b),
  ].join('\n');
  writeFileSync(join(outDir, 'jit-variants.md'), md);
  writeFileSync(join(outDir, 'jit-variants.json'), `${JSON.stringify({ loadBefore, loadAfter, models: [a, b] }, null, 2)}\n`);
  console.log(md);
  tf.dispose([train.x, train.y, test.x, test.y, report.x, report.y, stdTrain.x, stdTrain.y, stdForget.x, stdForget.y, stdReport.x, stdReport.y]);
  await closeReplicaWorkers();
}

await main();
