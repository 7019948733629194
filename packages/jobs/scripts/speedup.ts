// Speed-up of the queue on one machine: the demo's MNIST grid (forget one digit; jit, ssd, lf-ssd,
// finetune; a retrained reference per seed) run by 1, 2 and 3 worker processes on a local Redis,
// each on a fresh store so every job really runs. Writes results/speedup.{json,md} with wall times,
// load averages, per-job times, and an estimate from those job times of the papers' scale on k
// machines. Run it on a quiet machine: the numbers mean little under someone else's load.
//
//   npm run speedup -w @unlearn/jobs -- [--workers 1,2,3] [--seeds 0,1,2] [--quick] [--backend wasm]
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { availableParallelism, cpus, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import * as tf from '@tensorflow/tfjs-core';
import { selectBackend, type BackendName } from '@unlearn/core';
import { loadMnist, loadPretrainedMnistCnn } from '@unlearn/mnist-fixture';
import { folderStore, runGrid, untimedMetrics, type JobResult } from '../src/index.js';
import { redisDriver, startLocalRedis } from '../src/redis/index.js';
import { printed, spawnWorker, stopWorker, type WorkerProcess } from '../test/worker-process.js';
// The coordinator builds every method once before queueing, so bad options fail early.
import './grid-methods.js';

const here = fileURLToPath(new URL('.', import.meta.url));
const { values } = parseArgs({
  options: {
    workers: { type: 'string', default: '1,2,3' },
    seeds: { type: 'string', default: '0,1,2' },
    digit: { type: 'string', default: '3' },
    quick: { type: 'boolean', default: false },
    backend: { type: 'string', default: 'wasm' },
    retrains: { type: 'string', default: '512' },
    out: { type: 'string', default: resolve(here, '../results/speedup') },
  },
});
const counts = values.workers.split(',').map(Number);
const seeds = values.seeds.split(',').map(Number);
const N = Number(values.retrains);
const quick = values.quick;

const backend = await selectBackend({ backend: values.backend as BackendName });
const wasmThreads = backend.name === 'wasm' ? tf.env().getBool('WASM_HAS_MULTITHREAD_SUPPORT') : undefined;
// --quick is a smoke run: 60 digits of each class and one epoch of training, to check the script.
const { train, test } = loadMnist(quick ? { perDigit: 60 } : {});
const model = await loadPretrainedMnistCnn();
const grid = {
  scenarios: [{ kind: 'full-class' as const, class: Number(values.digit) }],
  methods: {
    jit: { name: 'jit', options: { preset: 'mnist-cnn' } },
    ssd: { name: 'ssd', options: { preset: 'mnist-cnn' } },
    'lf-ssd': { name: 'lf-ssd', options: { preset: 'mnist-cnn' } },
    finetune: { name: 'finetune', options: quick ? { epochs: 1 } : {} },
  },
  retrain: { name: 'retrain', options: quick ? { epochs: 1 } : {} },
  seeds,
  backend: backend.name,
};

interface Run {
  workers: number;
  wallMs: number;
  load1: { start: number; end: number };
  jobs: { kind: string; row: string; seed: number; wallMs: number; timeMs: number; worker?: string }[];
  metrics: string;
}

async function startWorker(name: string, url: string, queue: string, store: string): Promise<WorkerProcess> {
  const w = spawnWorker(name, [join(here, 'speedup-worker.ts'), '--queue', url, '--queue-name', queue, '--store', store, '--name', name]);
  await printed(w, `${name}: ready`);
  return w;
}

const untimed = (results: JobResult[]) =>
  JSON.stringify(results.map((r) => [r.key, untimedMetrics(r.metrics)]).sort(([a], [b]) => String(a).localeCompare(String(b))));

const redis = await startLocalRedis();
const runs: Run[] = [];
try {
  for (const k of counts) {
    const dir = await mkdtemp(join(tmpdir(), 'unlearn-speedup-'));
    const queue = `speedup-${k}-${Date.now()}`;
    const workers = await Promise.all(Array.from({ length: k }, (_, i) => startWorker(`w${i + 1}`, redis.url, queue, dir)));
    const store = folderStore(dir);
    const driver = await redisDriver({ url: redis.url, queue, store });
    const start = loadavg()[0]!;
    const t0 = performance.now();
    try {
      const { results } = await runGrid({
        ...grid,
        model,
        data: { train, test },
        store,
        driver,
        onProgress: (e) => {
          if (e.status === 'done' || e.status === 'failed') console.error(`[${k} worker(s)] ${e.finished}/${e.total} ${e.job.spec.kind} ${e.job.spec.method?.row ?? 'original'} seed ${e.job.spec.seed}: ${e.status}`);
        },
      });
      const wallMs = performance.now() - t0;
      const all = [...results.values()];
      runs.push({
        workers: k,
        wallMs,
        load1: { start, end: loadavg()[0]! },
        jobs: all.map((r) => ({ kind: r.kind, row: r.row, seed: r.seed, wallMs: r.ran.wallMs, timeMs: r.timeMs, ...(r.ran.worker ? { worker: r.ran.worker } : {}) })),
        metrics: untimed(all),
      });
    } finally {
      await driver.close();
      await Promise.all(workers.map((w) => stopWorker(w)));
      await rm(dir, { recursive: true, force: true });
    }
  }
} finally {
  await redis.stop();
  model.dispose();
  tf.dispose([train.x, train.y, test.x, test.y]);
}

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);
const s = (ms: number) => (ms / 1000).toFixed(1);
const base = runs[0]!;
const byKind = (run: Run, kind: string) => run.jobs.filter((j) => j.kind === kind);
const tRef = mean(byKind(base, 'reference').map((j) => j.wallMs));
const methodRows = Object.keys(grid.methods);
const tMethod = Object.fromEntries(methodRows.map((row) => [row, mean(base.jobs.filter((j) => j.row === row).map((j) => j.wallMs))]));
const tOriginal = mean(byKind(base, 'original').map((j) => j.wallMs));
const machines = [1, 2, 4, 8, 16, 32, 64];
// N retrains plus N runs of one method (the NeurIPS score's protocol: each of N seeds retrains and
// unlearns); with k single-slot machines as fast as one worker here, every machine runs ceil(N/k) of each.
const estimate = machines.map((k) => ({ machines: k, hours: (Math.ceil(N / k) * (tRef + mean(Object.values(tMethod)))) / 3_600_000 }));

const summary = {
  createdAt: new Date().toISOString(),
  quick,
  backend: backend.name,
  ...(wasmThreads !== undefined ? { wasmMultithread: wasmThreads } : {}),
  cores: availableParallelism(),
  cpu: cpus()[0]?.model ?? 'unknown',
  grid: { ...grid, jobs: base.jobs.length },
  identicalAcrossWorkerCounts: runs.every((r) => r.metrics === base.metrics),
  runs: runs.map(({ metrics: _m, ...r }) => ({ ...r, speedUp: base.wallMs / r.wallMs })),
  jobTimesMs: { reference: tRef, original: tOriginal, ...tMethod },
  estimate: { retrains: N, perRetrainMs: tRef, perMethodMs: mean(Object.values(tMethod)), byMachines: estimate },
};

const lines = [
  `# Queue speed-up on one machine${quick ? ' (quick smoke run: not a measurement)' : ''}`,
  '',
  `Generated by \`packages/jobs/scripts/speedup.ts\` on ${summary.createdAt.slice(0, 10)}: the demo's MNIST grid (forget digit ${values.digit};`,
  `${methodRows.join(', ')}; a retrained reference per seed; seeds ${seeds.join(', ')}: ${base.jobs.length} jobs), backend ${backend.name}` +
    `${wasmThreads !== undefined ? ` (wasm multithreading ${wasmThreads ? 'on' : 'off'})` : ''}, ${summary.cores} cores (${summary.cpu}).`,
  `Each worker count ran on a fresh store, so every job ran. Results identical across worker counts: ${summary.identicalAcrossWorkerCounts ? 'yes' : 'NO'}.`,
  '',
  '| workers | wall time (s) | speed-up | per worker | sum of job times (s) | 1-min load at start → end |',
  '| --- | --- | --- | --- | --- | --- |',
  ...summary.runs.map(
    (r) =>
      `| ${r.workers} | ${s(r.wallMs)} | ${r.speedUp.toFixed(2)}× | ${(r.speedUp / r.workers).toFixed(2)} | ${s(r.jobs.reduce((n, j) => n + j.wallMs, 0))} | ${r.load1.start.toFixed(2)} → ${r.load1.end.toFixed(2)} |`,
  ),
  '',
  'The wall time counts from the first job queued to the last result, so it includes starting each worker\'s job process (once per',
  'worker, at its first job); the sum of job times is the work itself, and grows when workers share cores.',
  '',
  `What bounds it: ${summary.cores} cores. Each worker runs one job at a time on one core's worth of tfjs, so ${summary.cores} workers is the most this machine`,
  'can use; a third worker on two cores only shares them (and the jobs share memory bandwidth). The grid is not one flat pool either:',
  "a seed's methods wait for its retrained reference, so the longest chain (retrain, then the longest method) sets a floor.",
  '',
  '## Job times (1 worker)',
  '',
  '| job | mean wall time (s) |',
  '| --- | --- |',
  `| retrained reference | ${s(tRef)} |`,
  `| original (metrics only) | ${s(tOriginal)} |`,
  ...methodRows.map((row) => `| ${row} | ${s(tMethod[row]!)} |`),
  '',
  `## Estimate: the NeurIPS score with N = ${N} retrains on k machines`,
  '',
  `N retrains (${s(tRef)} s each) and N runs of a method (${s(summary.estimate.perMethodMs)} s, the mean above), as measured here, on k machines`,
  'with one worker each, as fast as one worker here; each machine then runs ceil(N/k) of each. A GPU per machine changes the per-job',
  'times, not the shape: the time falls as 1/k until k = N.',
  '',
  '| machines | hours |',
  '| --- | --- |',
  ...estimate.map((e) => `| ${e.machines} | ${e.hours.toFixed(2)} |`),
  '',
];
await mkdir(resolve(values.out, '..'), { recursive: true });
await writeFile(`${values.out}.json`, `${JSON.stringify(summary, null, 2)}\n`);
await writeFile(`${values.out}.md`, lines.join('\n'));
console.log(lines.join('\n'));
console.error(`wrote ${values.out}.json and ${values.out}.md`);
process.exit(0);
