/**
 * Real-data results for the README: full-class forgetting of one MNIST digit with JiT on the
 * pretrained MNIST CNN (internal/mnist/model/mnist-cnn, never retrained here), over a (sigma, lr)
 * grid, wasm backend. Writes results/mnist-sweep.{md,json}.
 * Run: npm run report -w @unlearn/jit
 * Env: DIGIT (default 3), SIGMAS and LRS (comma lists) to override the grid, SEEDS (seeds
 * for re-running the chosen setting, default 0,1,2).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs-core';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import { selectBackend, unlearn } from '@unlearn/core';
import { accuracyOf, loadMnist, loadPretrainedMnistCnn, splitByDigit, type MnistSplit } from '@unlearn/mnist-fixture';
import { jit } from '../src/index.js';

const list = (v: string | undefined, fallback: number[]) => (v ? v.split(',').map(Number) : fallback);
const DIGIT = Number(process.env.DIGIT ?? 3);
const SIGMAS = list(process.env.SIGMAS, [0.05, 0.1, 0.2, 0.5, 1]);
// Calibrated by a coarse probe at sigma 0.1 and 0.5: lr 1e-6 changed nothing, lr >= 1e-3 collapsed
// the model (retain accuracy ~10-40%), and the change happens between 1e-5 and 1e-4.
const LRS = list(process.env.LRS, [1e-5, 2e-5, 3e-5, 5e-5, 7e-5, 1e-4, 1.4e-4]);
const SEEDS = list(process.env.SEEDS, [0, 1, 2]);
const N_SAMPLES = 25;
const BATCH = 128;
/** Largest retain-test accuracy drop (percentage points) a preset may cost. */
const MAX_RETAIN_DROP = 2;
const REFINE_STEPS = 3;

interface Accuracies {
  forgetTrain: number;
  forgetTest: number;
  retainTest: number;
}

interface Run extends Accuracies {
  sigma: number;
  lr: number;
  grid: 'coarse' | 'refine' | 'seed' | 'accumulated';
  seed: number;
  timeMs: number;
  losses: number[];
}

async function accuracies(model: LayersModel, sets: Record<keyof Accuracies, MnistSplit>): Promise<Accuracies> {
  return {
    forgetTrain: 100 * (await accuracyOf(model, sets.forgetTrain)),
    forgetTest: 100 * (await accuracyOf(model, sets.forgetTest)),
    retainTest: 100 * (await accuracyOf(model, sets.retainTest)),
  };
}

const pct = (v: number) => v.toFixed(2);

function table(runs: Run[], original: Accuracies): string[] {
  return [
    '| sigma | lr | grid | seed | forget-train acc % | forget-test acc % | retain-test acc % | retain drop (pts) | JiT time s |',
    '| ---: | ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: |',
    `| original model | | | | ${pct(original.forgetTrain)} | ${pct(original.forgetTest)} | ${pct(original.retainTest)} | 0.00 | |`,
    ...runs.map(
      (r) =>
        `| ${r.sigma} | ${Number(r.lr.toPrecision(3))} | ${r.grid} | ${r.seed} | ${pct(r.forgetTrain)} | ${pct(r.forgetTest)} | ${pct(r.retainTest)} | ${pct(original.retainTest - r.retainTest)} | ${(r.timeMs / 1000).toFixed(2)} |`,
    ),
  ];
}

async function main(): Promise<void> {
  await selectBackend({ backend: 'wasm' });
  const started = performance.now();
  const { train, test } = loadMnist();
  const trainSplit = splitByDigit(train, DIGIT);
  const testSplit = splitByDigit(test, DIGIT);
  const sets = { forgetTrain: trainSplit.forget, forgetTest: testSplit.forget, retainTest: testSplit.retain };
  const model = await loadPretrainedMnistCnn();
  const original = await accuracies(model, sets);
  console.error(`original: ${JSON.stringify(original)}; forget set: ${trainSplit.forget.x.shape[0]} images of digit ${DIGIT}`);

  const runOne = async (sigma: number, lr: number, seed: number, grid: Run['grid']): Promise<Run> => {
    const method = jit({ sigma, lr, nSamples: N_SAMPLES, batchSize: BATCH, accumulateGradients: grid === 'accumulated' });
    const result = await unlearn(model, { forget: { x: trainSplit.forget.x } }, method, { seed });
    const after = await accuracies(result.model as LayersModel, sets);
    (result.model as LayersModel).dispose();
    const run = { sigma, lr, grid, seed, timeMs: result.timeMs, losses: result.details.losses as number[], ...after };
    console.error(`sigma ${sigma} lr ${lr} seed ${seed}: ${pct(after.forgetTest)} / ${pct(after.retainTest)} (${(result.timeMs / 1000).toFixed(1)} s)`);
    return run;
  };

  const withinBudget = (r: Run) => original.retainTest - r.retainTest <= MAX_RETAIN_DROP;
  const sweep: Run[] = [];
  for (const sigma of SIGMAS) for (const lr of LRS) sweep.push(await runOne(sigma, lr, SEEDS[0]!, 'coarse'));
  // Forgetting changes sharply with lr, so refine each sigma's lr between its largest run within
  // the retain budget and the next one past it (3 geometric steps).
  for (const sigma of SIGMAS) {
    const runs = sweep.filter((r) => r.sigma === sigma).sort((a, b) => a.lr - b.lr);
    const last = runs.filter(withinBudget).pop();
    const next = last && runs.find((r) => r.lr > last.lr && !withinBudget(r));
    if (!last || !next) continue;
    for (let k = 1; k <= REFINE_STEPS; k++) {
      const lr = last.lr * (next.lr / last.lr) ** (k / (REFINE_STEPS + 1));
      sweep.push(await runOne(sigma, Number(lr.toPrecision(3)), SEEDS[0]!, 'refine'));
    }
  }
  sweep.sort((a, b) => a.sigma - b.sigma || a.lr - b.lr);

  // Lowest forget-test accuracy among runs that keep retain-test accuracy within the budget;
  // ties go to the lower forget-train accuracy, then the smaller lr.
  const eligible = sweep.filter(withinBudget);
  const best = [...eligible].sort((a, b) => a.forgetTest - b.forgetTest || a.forgetTrain - b.forgetTrain || a.lr - b.lr)[0];
  const seeds: Run[] = [];
  if (best) for (const seed of SEEDS) seeds.push(seed === best.seed ? best : await runOne(best.sigma, best.lr, seed, 'seed'));
  // The reference code's never-zeroed gradients (step t uses g_1 + ... + g_t) at the same setting.
  const accumulated = best ? await runOne(best.sigma, best.lr, SEEDS[0]!, 'accumulated') : undefined;

  const report = {
    date: new Date().toISOString(),
    backend: tf.getBackend(),
    model: 'internal/mnist/model/mnist-cnn (pretrained, 20 epochs Adam; see internal/mnist/model/TRAINING.md)',
    data: 'npm mnist 1.1.0 via @unlearn/mnist-fixture: 8000 train / 2000 test',
    scenario: `full-class: forget set = all ${trainSplit.forget.x.shape[0]} training images of digit ${DIGIT}; forget-test = the ${testSplit.forget.x.shape[0]} test images of digit ${DIGIT}; retain-test = the other ${testSplit.retain.x.shape[0]} test images`,
    setting: { nSamples: N_SAMPLES, batchSize: BATCH, epochs: 1, accumulateGradients: false, training: false },
    selection: `lowest forget-test accuracy with a retain-test drop <= ${MAX_RETAIN_DROP} points`,
    original,
    sweep,
    chosen: best ? { sigma: best.sigma, lr: best.lr } : null,
    chosenSeeds: seeds,
    chosenAccumulated: accumulated ?? null,
    totalSeconds: (performance.now() - started) / 1000,
  };

  const md = [
    `# JiT on MNIST: full-class forgetting of digit ${DIGIT}`,
    '',
    `Generated by \`npm run report -w @unlearn/jit\` (packages/jit/scripts/report.ts) on ${report.date}, backend ${report.backend}, in ${report.totalSeconds.toFixed(0)} s.`,
    '',
    `- Model: ${report.model}.`,
    `- Data: ${report.data}. Scenario: ${report.scenario}.`,
    `- JiT: N = ${N_SAMPLES}, batch ${BATCH}, one pass (${Math.ceil(trainSplit.forget.x.shape[0] / BATCH)} SGD steps), per-batch gradients, inference mode; sigma in pixel units ([0, 1] inputs).`,
    `- Selection: ${report.selection}.`,
    '',
    `## Sweep (seed ${SEEDS[0]}): a coarse grid, then ${REFINE_STEPS} refining lr steps per sigma at the edge of the retain budget`,
    '',
    ...table(sweep, original),
    '',
    '## Chosen setting',
    '',
    ...(best
      ? [
          `sigma = ${best.sigma}, lr = ${best.lr}. The same setting over seeds ${SEEDS.join(', ')}:`,
          '',
          ...table(seeds, original),
          '',
          `With \`accumulateGradients: true\` (the reference code's never-zeroed gradients, so the ${Math.ceil(trainSplit.forget.x.shape[0] / BATCH)}th step moves by the sum of all batch gradients so far) at the same sigma and lr:`,
          '',
          ...table(accumulated ? [accumulated] : [], original),
        ]
      : [`No setting kept the retain-test drop within ${MAX_RETAIN_DROP} points.`]),
    '',
  ].join('\n');

  const dir = join(dirname(fileURLToPath(import.meta.url)), '..', 'results');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'mnist-sweep.json'), `${JSON.stringify(report, null, 2)}\n`);
  writeFileSync(join(dir, 'mnist-sweep.md'), md);
  console.log(md);
  model.dispose();
  tf.dispose([train.x, train.y, test.x, test.y, ...Object.values(trainSplit).flatMap((s) => [s.x, s.y]), ...Object.values(testSplit).flatMap((s) => [s.x, s.y])]);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
