import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { decodeResult, untimedReport } from '@unlearn/jobs';
import { describe, expect, it } from 'vitest';
import { type CliRun, cli, useWorkspace } from './helpers.js';
import { killWorker, startsByKey, useRedisWorkers, type Worker } from './queue-workers.js';

// Three `unlearn worker` processes on a real Redis, one of them SIGKILLed while it holds a job: the
// grid must still finish, equal to the single-process benchmark, with every job's result exactly
// once and every job started once, but for the killed one, which a survivor starts again.

const GRID = [
  '--model', 'model', '--data', 'train.json', '--labels', 'train-labels.json', '--test', 'test.json', '--test-labels', 'test-labels.json',
  '--scenario', 'full-class:0', '--methods', 'ssd,jit', '--seeds', '0,1', '--set', 'ssd.alpha=1', '--set', 'ssd.batchSize=16',
  '--set', 'retrain.epochs=5', '--set', 'retrain.batchSize=16', '--backend', 'cpu',
];
// 2 seeds × (retrained reference + original + 2 methods).
const JOBS = 8;

type Report = { scenarios: { name: string; rows: { name: string; runs: { seed: number; metrics: Record<string, number | null>; error?: string }[] }[] }[] };

describe('unlearn bench --queue with unlearn worker', () => {
  const workspace = useWorkspace();
  const queue = useRedisWorkers();
  const { workers } = queue;

  it('finishes a grid on 3 workers when one is SIGKILLed mid-job, equal to the embedded run, no job missing or twice; a rerun runs nothing', async () => {
    const dir = workspace().dir;
    const store = join(dir, 'store');
    for (const name of ['w1', 'w2', 'w3']) queue.start(name, store);

    // The single-process benchmark, meanwhile, as the numbers to match.
    const embedded = await cli(['bench', ...GRID, '--out', 'embedded', '--json'], dir);
    expect(embedded.code).toBe(0);

    // Kill the first worker that takes a job, while it holds it.
    let killed: { worker: Worker; key: string } | undefined;
    const watch = setInterval(() => {
      if (killed) return;
      for (const w of workers) {
        const m = /job ([0-9a-f]{12}) start/.exec(w.stderr);
        if (m) {
          killWorker(w);
          killed = { worker: w, key: m[1]! };
          return;
        }
      }
    }, 50);
    let queued: CliRun;
    try {
      queued = await cli(['bench', ...GRID, '--store', 'store', '--queue', queue.url(), '--out', 'queued', '--json'], dir);
    } finally {
      clearInterval(watch);
    }
    expect(queued.stderr).not.toMatch(/error/);
    expect(queued.code).toBe(0);
    expect(killed).toBeDefined();
    await killed!.worker.exited;
    expect(killed!.worker.child.signalCode).toBe('SIGKILL');

    const queuedReport = queued.json<{ report: Report }>().report;
    expect(untimedReport(queuedReport)).toEqual(untimedReport(embedded.json<{ report: Report }>().report));
    for (const row of queuedReport.scenarios[0]!.rows) expect(row.runs.map((r) => r.seed)).toEqual([0, 1]);

    // Every job's result exactly once; the killed job's came from another worker, after the stall check.
    const results = (await readdir(join(store, 'results'))).filter((n) => !n.startsWith('.'));
    expect(results).toHaveLength(JOBS);
    const killedKey = results.find((k) => k.startsWith(killed!.key))!;
    const result = decodeResult(await readFile(join(store, 'results', killedKey, 'result.json'), 'utf8'));
    expect(result.ran.worker).not.toBe(killed!.worker.name);
    const survivors = workers.filter((w) => w !== killed!.worker);
    expect(survivors.map((w) => w.stderr).join('')).toMatch(new RegExp(`job ${killed!.key} stalled`));

    // No job ran twice: what each worker printed as it took a job, counted per key over all three.
    // The killed worker started only its job; the survivors started every job once.
    expect(startsByKey([killed!.worker])).toEqual(new Map([[killed!.key, 1]]));
    const started = startsByKey(survivors);
    expect([...started.keys()].sort()).toEqual(results.map((k) => k.slice(0, 12)).sort());
    expect([...started.values()].every((n) => n === 1)).toBe(true);

    // Restarted, the grid finds every result in the store and queues nothing.
    const again = await cli(['bench', ...GRID, '--store', 'store', '--queue', queue.url(), '--out', 'again'], dir);
    expect(again.code).toBe(0);
    expect(again.stderr.match(/in the store already/g)).toHaveLength(JOBS);
    expect(startsByKey(survivors)).toEqual(started);
  }, 180_000);
});

describe('unlearn bench --store', () => {
  const workspace = useWorkspace();

  it('runs the grid as resumable jobs in this process, and --queue needs --store', async () => {
    const dir = workspace().dir;
    const usage = await cli(['bench', ...GRID, '--queue', 'redis://127.0.0.1:1', '--out', 'nostore'], dir);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toMatch(/--queue needs --store/);
    const first = await cli(['bench', ...GRID, '--seeds', '0', '--store', 'store', '--out', 'local'], dir);
    expect(first.code).toBe(0);
    expect(first.stderr.match(/: done/g)).toHaveLength(JOBS / 2);
    const again = await cli(['bench', ...GRID, '--seeds', '0', '--store', 'store', '--out', 'local2'], dir);
    expect(again.code).toBe(0);
    expect(again.stderr.match(/in the store already/g)).toHaveLength(JOBS / 2);
  });
});
