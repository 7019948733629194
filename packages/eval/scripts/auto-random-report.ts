/**
 * Auto mode on random forgetting: 100 training digits drawn at random (a seed per run) from the
 * pretrained MNIST CNN's training set. A retrained model scores about its test accuracy on
 * samples it never saw, so auto mode's default target for a forget set of several classes is the
 * original model's validation accuracy; success is forget-set accuracy within 3 points of it.
 * Same data split as auto-report.ts: even test positions guard, odd positions report.
 *
 * Run: npm run report:auto-random -w @unlearn/eval (writes results/auto-mnist-random.{json,md}).
 */
import { writeFileSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs-core';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import { autoUnlearn, createRng, selectBackend, shuffledIndices, type Unlearner } from '@unlearn/core';
import { closeReplicaWorkers } from '@unlearn/core/node';
import { jit } from '@unlearn/jit';
import { lfSsd } from '@unlearn/lf-ssd';
import { accuracyOf, loadMnist, loadPretrainedMnistCnn, type MnistSplit } from '@unlearn/mnist-fixture';
import { ssd } from '@unlearn/ssd';
import { closeImportanceWorkers } from '@unlearn/ssd/node';

const COUNT = 100;
const SEEDS = [0, 1, 2];
const METHODS: Record<string, () => Unlearner> = { jit: () => jit() as Unlearner, ssd: () => ssd() as Unlearner, 'lf-ssd': () => lfSsd() as Unlearner };
const outDir = join(dirname(fileURLToPath(import.meta.url)), '..', 'results');
const p1 = (v: number | undefined) => (v === undefined ? '—' : (100 * v).toFixed(1));

function rows(s: MnistSplit, indices: ArrayLike<number>): MnistSplit {
  return tf.tidy(() => {
    const idx = tf.tensor1d(Array.from(indices), 'int32');
    return { x: tf.gather(s.x, idx) as tf.Tensor4D, y: tf.gather(s.y, idx) as tf.Tensor1D };
  });
}

async function main(): Promise<void> {
  const started = performance.now();
  const loadBefore = loadavg().map((v) => Number(v.toFixed(2)));
  await selectBackend({ backend: 'wasm' });
  const { train, test } = loadMnist();
  const n = test.y.shape[0];
  const validation = rows(test, Array.from({ length: n }, (_, i) => i).filter((i) => i % 2 === 0));
  const report = rows(test, Array.from({ length: n }, (_, i) => i).filter((i) => i % 2 === 1));
  const model: LayersModel = await loadPretrainedMnistCnn();
  const original = { validation: await accuracyOf(model, validation), reportTest: await accuracyOf(model, report) };
  console.log(`original: validation ${p1(original.validation)}%, report-half test ${p1(original.reportTest)}%`);

  const runs = [];
  for (const seed of SEEDS) {
    const picked = shuffledIndices(train.y.shape[0], createRng(seed).fork('random-samples')).slice(0, COUNT);
    const forget = rows(train, picked);
    const before = await accuracyOf(model, forget);
    for (const [method, make] of Object.entries(METHODS)) {
      const auto = await autoUnlearn(model, { forget, train, validation }, make(), { seed });
      const chosen = auto.result?.model as LayersModel | undefined;
      const forgetAccuracy = chosen ? await accuracyOf(chosen, forget) : before;
      const reportTest = chosen ? await accuracyOf(chosen, report) : original.reportTest;
      chosen?.dispose();
      const strength = auto.chosen === null ? null : auto.trials[auto.chosen]!.strength;
      const run = {
        method,
        seed,
        satisfied: auto.satisfied,
        option: auto.option,
        strength,
        trials: auto.trials.length,
        target: auto.target.forgetAccuracy,
        forgetBefore: before,
        forgetAccuracy,
        gapToValidation: forgetAccuracy - original.validation,
        reportTest,
        timeMs: auto.timeMs,
        reason: auto.reason,
        trialTable: auto.trials,
      };
      console.log(`${method} seed ${seed}: ${auto.satisfied ? 'satisfied' : 'NOT satisfied'} ${auto.option} ${strength?.toPrecision(3) ?? '—'}, forget ${p1(before)}% -> ${p1(forgetAccuracy)}% (target ${p1(auto.target.forgetAccuracy)}%), test ${p1(reportTest)}%, ${(auto.timeMs / 1000).toFixed(1)} s`);
      runs.push(run);
    }
    tf.dispose([forget.x, forget.y]);
  }
  const loadAfter = loadavg().map((v) => Number(v.toFixed(2)));
  const md = [
    `# Auto mode on MNIST: forgetting ${COUNT} random training digits`,
    '',
    `Generated ${new Date().toISOString()} by \`packages/eval/scripts/auto-random-report.ts\` in ${((performance.now() - started) / 1000).toFixed(0)} s on ${availableParallelism()} cores, Node ${process.version}, wasm; load average ${loadBefore.join(', ')} before, ${loadAfter.join(', ')} after.`,
    '',
    `- Model: the pretrained MNIST CNN (internal/mnist/model/mnist-cnn). Forget set: ${COUNT} training digits drawn with core's seeded shuffle (seed = run seed), labelled; request { forget, train (all 8,000), validation }.`,
    `- Auto mode with its defaults: the forget set spans several classes, so the target is the original model's validation accuracy (${p1(original.validation)}%, the even half of the 2,000 test digits); the guard allows 2 points on the validation digits. Success criterion here: forget-set accuracy within 3 points of the validation accuracy.`,
    `- Original report-half test accuracy: ${p1(original.reportTest)}%.`,
    `- Read with care: the original model already scores ${p1(runs[0]!.forgetBefore)}% on the forget set, only ${(100 * (runs[0]!.forgetBefore - original.validation)).toFixed(1)} points above the validation accuracy, so on this well-generalising model "within 3 points" holds before any unlearning, and one forget sample is one point. The stricter test is auto mode's own target (forget accuracy at or below the validation accuracy): the "satisfied" column.`,
    '',
    '| method | seed | satisfied | chosen strength | trials | forget acc before → after (%) | gap to validation (pts) | within 3 pts | test acc (%) | time (s) |',
    '|---|---:|:-:|---:|---:|---:|---:|:-:|---:|---:|',
    ...runs.map(
      (r) =>
        `| ${r.method} (${r.option}) | ${r.seed} | ${r.satisfied ? 'yes' : 'no'} | ${r.strength === null ? '—' : Number(r.strength.toPrecision(3))} | ${r.trials} | ${p1(r.forgetBefore)} → ${p1(r.forgetAccuracy)} | ${(100 * r.gapToValidation).toFixed(1)} | ${Math.abs(r.gapToValidation) <= 0.03 ? 'yes' : 'no'} | ${p1(r.reportTest)} | ${(r.timeMs / 1000).toFixed(1)} |`,
    ),
    '',
  ].join('\n');
  writeFileSync(join(outDir, 'auto-mnist-random.md'), md);
  writeFileSync(join(outDir, 'auto-mnist-random.json'), `${JSON.stringify({ count: COUNT, seeds: SEEDS, original, loadBefore, loadAfter, runs }, null, 2)}\n`);
  console.log(md);
  model.dispose();
  tf.dispose([train.x, train.y, test.x, test.y, validation.x, validation.y, report.x, report.y]);
  await closeReplicaWorkers();
  await closeImportanceWorkers();
}

await main();
