import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import { syntheticClassification } from '@unlearn/core/testing';
import { embeddedDriver, folderStore, trainReferenceModels, untimedMetrics, type JobDriver } from '@unlearn/jobs';
import { redisDriver } from '@unlearn/jobs/redis';
import '@unlearn/jit';
import '@unlearn/retrain';
import { describe, expect, it } from 'vitest';
import { cli, useWorkspace } from './helpers.js';
import { useRedisWorkers } from './queue-workers.js';

// The two job kinds besides the grid's cells, on two `unlearn worker` processes and a real Redis:
// auto-mode searches (`bench --auto`) and the kept models of a per-example attack. Both must equal
// what the embedded driver computes for the same seeds.

const AUTO = [
  '--model', 'model', '--data', 'train.json', '--labels', 'train-labels.json', '--test', 'test.json', '--test-labels', 'test-labels.json',
  '--scenario', 'full-class:0', '--methods', 'ssd,jit', '--seeds', '0', '--set', 'ssd.batchSize=16',
  '--set', 'retrain.epochs=3', '--set', 'retrain.batchSize=16', '--backend', 'cpu', '--auto', '--budget', '6',
];

interface Search {
  row: string;
  satisfied: boolean;
  strength: number | null;
  metrics: Record<string, number | null>;
  search?: { trials: { strength: number; forgetAccuracy?: number; guardAccuracy?: number }[] };
}

/** What a search found, less what reads the clock. */
const found = (searches: Search[]) =>
  searches.map((s) => ({
    row: s.row,
    satisfied: s.satisfied,
    strength: s.strength,
    trials: s.search?.trials.map((t) => [t.strength, t.forgetAccuracy, t.guardAccuracy]),
    metrics: untimedMetrics(s.metrics),
  }));

/** The workspace's train and test sets as tensors (the blobs makeWorkspace wrote to files). */
function workspaceData() {
  const all = syntheticClassification({ n: 150, inputDim: 8, classes: 3, seed: 2 });
  const y = tf.cast(all.y, 'float32');
  const data = { train: { x: tf.slice(all.x, 0, 90), y: tf.slice(y, 0, 90) }, test: { x: tf.slice(all.x, 90, 60), y: tf.slice(y, 90, 60) } };
  tf.dispose([all.x, all.y, y]);
  return data;
}

describe('auto searches and reference models on unlearn workers', () => {
  const workspace = useWorkspace();
  const queue = useRedisWorkers();
  const { workers } = queue;

  it('bench --auto on 2 workers finds what it finds here; the K models of each side equal the embedded ones', async () => {
    const ws = workspace();
    const store = join(ws.dir, 'store');
    for (const name of ['w1', 'w2']) queue.start(name, store);

    const local = await cli(['bench', ...AUTO, '--store', 'local', '--out', 'local-out', '--json'], ws.dir);
    expect(local.stderr).not.toMatch(/error/i);
    expect(local.code).toBe(0);
    const queued = await cli(['bench', ...AUTO, '--store', 'store', '--queue', queue.url(), '--out', 'queued-out', '--json'], ws.dir);
    expect(queued.code).toBe(0);
    const searches = queued.json<{ searches: Search[] }>().searches;
    expect(found(searches)).toEqual(found(local.json<{ searches: Search[] }>().searches));
    expect(searches.map((s) => s.row)).toEqual(['ssd', 'jit']);
    expect(searches[0]!.search!.trials.length).toBeGreaterThan(1);

    const data = workspaceData();
    const models = async (driver: JobDriver, dir: string) => {
      try {
        const refs = await trainReferenceModels({
          model: ws.model,
          data,
          store: folderStore(join(ws.dir, dir)),
          driver,
          scenario: { kind: 'full-class', class: 0 },
          k: 3,
          unlearn: { name: 'jit' },
          retrain: { name: 'retrain', options: { epochs: 3, batchSize: 16 } },
          backend: 'cpu',
        });
        const weights = [];
        for (const side of ['positive', 'negative'] as const) {
          for (const m of await refs.load(side)) {
            weights.push(await Promise.all((m.model as LayersModel).getWeights().map(async (w) => Array.from(await w.data()))));
            m.dispose();
          }
        }
        return { weights, workers: [...refs.results.positive, ...refs.results.negative].map((r) => r.ran.worker) };
      } finally {
        await driver.close();
      }
    };
    try {
      const here = await models(embeddedDriver(folderStore(join(ws.dir, 'local'))), 'local');
      const there = await models(await redisDriver({ url: queue.url(), store: folderStore(store) }), 'store');
      expect(there.weights).toEqual(here.weights);
      expect(new Set(there.workers)).toEqual(new Set(['w1', 'w2']));
    } finally {
      tf.dispose([data.train.x, data.train.y, data.test.x, data.test.y]);
    }
  }, 90_000);

  it('bench --auto needs --store, methods with a strength, and no clock budget', async () => {
    const dir = workspace().dir;
    const run = (...extra: string[]) => cli(['bench', ...AUTO, ...extra, '--out', 'refused'], dir);
    const noStore = await run();
    expect([noStore.code, noStore.stderr]).toEqual([2, expect.stringMatching(/--auto runs each search as a job: give --store/)]);
    const noStrength = await run('--store', 'refused-store', '--methods', 'retrain', '--no-retrain');
    expect([noStrength.code, noStrength.stderr]).toEqual([2, expect.stringMatching(/retrain declares no strength to search/)]);
    const clock = await run('--store', 'refused-store', '--budget-seconds', '5');
    expect(clock.code).toBe(2);
    const stray = await cli(['bench', ...AUTO.filter((a) => a !== '--auto' && a !== '--budget' && a !== '6'), '--max-retain-drop', '5', '--out', 'refused'], dir);
    expect([stray.code, stray.stderr]).toEqual([2, expect.stringMatching(/--max-retain-drop only applies with --auto/)]);
  });
});
