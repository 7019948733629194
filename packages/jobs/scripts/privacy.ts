// Per-example privacy of every method on the MNIST CNN: U-LiRA (AUC, TPR at 1% and 0.1% FPR) and
// the NeurIPS 2023 challenge score, from K unlearned and K retrained models per method and forget
// set (docs/evaluation.md). The models are jobs in a content-addressed store, so the K retrained
// models are trained once and shared by every method, an interrupted run resumes where it
// stopped, and a larger K reuses the models of a smaller one. The same code runs at the papers'
// scale on many machines with `--queue redis://…` workers (docs/guide/several-machines.md).
//
//   npm run privacy -w @unlearn/jobs -- [--k 8] [--scenarios random:100,full-class:3]
//        [--methods jit,ssd,...] [--store DIR] [--quick] [--backend wasm]
//        [--queue redis://host:6379 --queue-name NAME]   (then start `unlearn worker` processes
//        on any machine that shares the store folder: `unlearn worker --queue … --store DIR`)
//
// Protocol, as the challenge's: the K unlearned models are K seeded runs of the method on the one
// trained model (so a deterministic method gives K equal models, and is judged as such); the K
// retrained models are K seeded retrains on the retain set.
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { cpus, loadavg } from 'node:os';
import { basename, dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { hashWeights, selectBackend, type BackendName } from '@unlearn/core';
import { neuripsScore, ulira } from '@unlearn/eval';
import { loadMnist, loadPretrainedMnistCnn } from '@unlearn/mnist-fixture';
import { embeddedDriver, folderStore, trainReferenceModels, type ScenarioSpec } from '../src/index.js';
import { privacyChart } from './privacy-chart.js';
import { CLASS_ONLY, PRIVACY_METHODS } from './privacy-methods.js';

const here = fileURLToPath(new URL('.', import.meta.url));
const repoRoot = resolve(here, '../../..');
const { values } = parseArgs({
  options: {
    k: { type: 'string', default: '8' },
    scenarios: { type: 'string', default: 'random:100,full-class:3' },
    methods: { type: 'string', default: Object.keys(PRIVACY_METHODS).join(',') },
    store: { type: 'string', default: resolve(repoRoot, '.unlearn-cache/privacy-store') },
    quick: { type: 'boolean', default: false },
    backend: { type: 'string', default: 'wasm' },
    out: { type: 'string', default: resolve(here, '../results/privacy-mnist') },
    queue: { type: 'string' },
    'queue-name': { type: 'string' },
    // Redraws the Markdown and the chart from the JSON, running nothing.
    'render-only': { type: 'boolean', default: false },
  },
});
const K = Number(values.k);
const quick = values.quick;
const scenarios: ScenarioSpec[] = values.scenarios.split(',').map((s) => {
  const [kind, n] = s.split(':');
  if (kind === 'random') return { kind: 'random', count: Number(n) };
  if (kind === 'full-class') return { kind: 'full-class', class: Number(n) };
  throw new Error(`--scenarios: unknown scenario ${s} (random:COUNT or full-class:DIGIT)`);
});
const methodNames = values.methods.split(',');
for (const m of methodNames) if (!PRIVACY_METHODS[m]) throw new Error(`--methods: unknown ${m}; known: ${Object.keys(PRIVACY_METHODS).join(', ')}`);

const rows: Row[] = [];
if (values['render-only']) {
  await write(values.backend);
  process.exit(0);
}
const backend = await selectBackend({ backend: values.backend as BackendName });
// --quick is a smoke run of the script: 60 digits of each class and one-epoch retrains.
const { train, test } = loadMnist(quick ? { perDigit: 60 } : {});
const model = await loadPretrainedMnistCnn();
const store = folderStore(quick ? `${values.store}-quick` : values.store);
const driver = values.queue
  ? await (await import('../src/redis/index.js')).redisDriver({ url: values.queue, store, ...(values['queue-name'] ? { queue: values['queue-name'] } : {}) })
  : embeddedDriver(store);
const retrain = { name: 'retrain', options: quick ? { epochs: 1 } : {} };
const started = Date.now();
const log = (line: string) => console.error(`[${((Date.now() - started) / 1000).toFixed(0)} s, load ${loadavg()[0]!.toFixed(2)}] ${line}`);

const scenarioName = (s: ScenarioSpec) => (s.kind === 'full-class' ? `full-class(${s.class})` : `random(${'count' in s ? s.count : s.fraction})`);
const FPRS = [0.01, 0.001];

interface Row {
  scenario: string;
  method: string;
  options: Record<string, unknown>;
  k: number;
  uliraAuc: number;
  tprAt: Record<string, number | null>;
  smallestResolvableFpr: number;
  forgetQuality: number;
  neuripsScore: number;
  maxEpsilon: number;
  accuracy: { unlearned: { forget: number; retain: number; test: number }; retrained: { forget: number; retain: number; test: number } };
  distinctUnlearnedModels: boolean;
  /** Mean time of one unlearning run and of one retrain, as the jobs measured them. */
  unlearnS: number;
  retrainS: number;
  /** Wall time of the scenario's whole set of jobs (stored ones cost nothing). */
  scenarioWallS: number;
  load1: { start: number; end: number };
}
try {
  for (const scenario of scenarios) {
    const t0 = Date.now();
    const load0 = loadavg()[0]!;
    const names = methodNames.filter((m) => scenario.kind === 'full-class' || !CLASS_ONLY.has(m));
    log(`${scenarioName(scenario)}: ${K} unlearned models per method (${names.join(', ')}) and ${K} retrained ones (stored models are reused)`);
    // Every method's jobs at once, so that queue workers share them all; the retrained side has
    // the same keys for every method and is trained once.
    const sets = await Promise.all(
      names.map((name) =>
        trainReferenceModels({
          model,
          data: { train, test },
          store,
          driver,
          scenario,
          k: K,
          unlearn: PRIVACY_METHODS[name]!(quick),
          retrain,
          backend: backend.name,
          onProgress: (e) => {
            if (e.status === 'done') log(`  ${e.job.spec.kind === 'reference' ? 'retrained' : name} model, run seed ${e.job.spec.runSeed} (${((e.result?.ran.wallMs ?? 0) / 1000).toFixed(1)} s)`);
          },
        }),
      ),
    );
    const wallS = (Date.now() - t0) / 1000;
    for (const [i, name] of names.entries()) {
      const refs = sets[i]!;
      const splits = await refs.splits();
      const unlearned = await refs.load('positive');
      const retrained = await refs.load('negative');
      try {
        const attack = await ulira({
          examples: splits.forgetTrain,
          k: K,
          train: refs.train,
          names: { positive: 'unlearned', negative: 'retrained' },
          fprs: FPRS,
          log: () => {},
        });
        const score = await neuripsScore({ unlearned, retrained, forget: splits.forgetTrain, retain: splits.retainTrain, test: splits.test });
        const distinct = new Set(await Promise.all(unlearned.map((m) => hashWeights(m)))).size;
        const side = (s: typeof score.unlearned) => ({ forget: s.forget, retain: s.retain, test: s.test });
        const seconds = (ms: number[]) => ms.reduce((a, b) => a + b, 0) / 1000 / Math.max(1, ms.length);
        rows.push({
          scenario: scenarioName(scenario),
          method: name,
          options: PRIVACY_METHODS[name]!(quick).options ?? {},
          k: K,
          uliraAuc: attack.auc,
          tprAt: Object.fromEntries(attack.tprAtFpr.map((t) => [String(t.fpr), Number.isNaN(t.tpr) ? null : t.tpr])),
          smallestResolvableFpr: attack.smallestResolvableFpr,
          forgetQuality: score.forgetQuality,
          neuripsScore: score.score,
          maxEpsilon: score.maxEpsilon,
          accuracy: { unlearned: side(score.unlearned), retrained: side(score.retrained) },
          distinctUnlearnedModels: distinct > 1,
          unlearnS: seconds(refs.results.positive.map((r) => r.timeMs)),
          retrainS: seconds(refs.results.negative.map((r) => r.timeMs)),
          scenarioWallS: wallS,
          load1: { start: load0, end: loadavg()[0]! },
        });
        log(`  ${name}: AUC ${attack.auc.toFixed(3)}, F ${score.forgetQuality.toFixed(3)}, score ${score.score.toFixed(3)}`);
      } finally {
        [...unlearned, ...retrained].forEach((m) => m.dispose());
        splits.dispose();
      }
    }
    await write(backend.name);
  }
} finally {
  await driver.close();
  model.dispose();
}

async function write(backendName: string): Promise<void> {
  if (quick) return;
  // Rows of other forget sets from an earlier run stay: each forget set can have its own K.
  const earlier = await readFile(`${values.out}.json`, 'utf8').then(
    (text) => (JSON.parse(text) as { rows: Row[] }).rows,
    () => [] as Row[],
  );
  const ran = new Set(rows.map((r) => r.scenario));
  const all = [...earlier.filter((r) => !ran.has(r.scenario)), ...rows];
  const pct = (v: number | null | undefined) => (v === null || v === undefined ? '—' : (100 * v).toFixed(1));
  const summary = {
    date: new Date().toISOString().slice(0, 10),
    machine: `${cpus().length} cores (${cpus()[0]?.model ?? 'unknown'})`,
    backend: backendName,
    protocol:
      'K unlearned models = K seeded runs of the method on the one pretrained MNIST CNN; K retrained models = K seeded retrains on the retain set (shared by every method). U-LiRA: paired leave-one-out Gaussian fits of the logit-scaled confidence per forget example. NeurIPS score: F x retain and test accuracy ratios.',
    rows: all,
  };
  await mkdir(dirname(values.out), { recursive: true });
  await writeFile(`${values.out}.json`, `${JSON.stringify(summary, null, 2)}\n`);
  const lines = [
    `## Per-example privacy on the MNIST CNN: U-LiRA and the NeurIPS 2023 score`,
    '',
    `K unlearned and K retrained models per method and forget set (K under each table); ${summary.machine}; backend ${backendName}; ${summary.date}.`,
    `Generated by \`npm run privacy -w @unlearn/jobs\` (packages/jobs/scripts/privacy.ts); protocol and reading in docs/evaluation.md.`,
    '',
    'U-LiRA AUC near 0.5 and a NeurIPS forgetting quality F near 1 mean the forget examples look as they do after retraining; with K models',
    'the smallest resolvable FPR is 1/(K·n) and the ε buckets stop at ⌈ln(K − 1)⌉ (so F is coarse at small K).',
    '"equal models" marks a deterministic method: its K unlearned models are identical, which the score judges as it is.',
    `Methods that forget whole classes only (${[...CLASS_ONLY].join(', ')}) have rows for full-class forget sets only.`,
    '',
  ];
  for (const scenario of [...new Set(all.map((r) => r.scenario))]) {
    lines.push(`### ${scenario}`, '');
    lines.push('| method | U-LiRA AUC | TPR @ 1% FPR | TPR @ 0.1% FPR | F | NeurIPS score | forget acc (u / r, %) | retain acc (u / r, %) | test acc (u / r, %) | equal models | one run (s) | one retrain (s) |');
    lines.push('|---|---:|---:|---:|---:|---:|---:|---:|---:|:-:|---:|---:|');
    for (const r of all.filter((x) => x.scenario === scenario)) {
      const a = r.accuracy;
      lines.push(
        `| ${r.method} | ${r.uliraAuc.toFixed(3)} | ${pct(r.tprAt['0.01'])} | ${pct(r.tprAt['0.001'])} | ${r.forgetQuality.toFixed(3)} | ${r.neuripsScore.toFixed(3)} | ` +
          `${pct(a.unlearned.forget)} / ${pct(a.retrained.forget)} | ${pct(a.unlearned.retain)} / ${pct(a.retrained.retain)} | ${pct(a.unlearned.test)} / ${pct(a.retrained.test)} | ` +
          `${r.distinctUnlearnedModels ? '' : 'yes'} | ${r.unlearnS.toFixed(1)} | ${r.retrainS.toFixed(0)} |`,
      );
    }
    const first = all.find((x) => x.scenario === scenario)!;
    lines.push('', `K = ${first.k} (ε resolved up to ${first.maxEpsilon.toFixed(2)}, smallest FPR ${first.smallestResolvableFpr.toExponential(1)}). Jobs of this forget set: ${first.scenarioWallS.toFixed(0)} s wall (stored models reused), 1-min load ${first.load1.start.toFixed(1)} → ${first.load1.end.toFixed(1)}: times were taken on a shared machine.`, '');
  }
  lines.push(`![U-LiRA AUC and NeurIPS forgetting quality per method](./${basename(values.out)}.svg)`, '');
  await writeFile(`${values.out}.svg`, await privacyChart(all));
  await writeFile(`${values.out}.md`, `${lines.join('\n')}`);
}
