import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { syntheticClassification, tinyClassifier } from '@unlearn/core/testing';
import { afterAll, beforeAll } from 'vitest';
import { untimedMetrics } from '../src/index.js';
import '@unlearn/retrain';
import '@unlearn/ssd';
import '@unlearn/jit';

/** A tiny classifier fitted (seeded, no shuffling) on three Gaussian blobs, with its train and test sets. */
export async function tinyProblem() {
  const all = syntheticClassification({ n: 120, inputDim: 6, classes: 3, seed: 4, spread: 0.5 });
  // tfjs-layers' sparse cross-entropy wants float labels.
  const labels = tf.cast(all.y, 'float32');
  const data = {
    train: { x: tf.slice(all.x, 0, 90), y: tf.slice(labels, 0, 90) },
    test: { x: tf.slice(all.x, 90, 30), y: tf.slice(labels, 90, 30) },
  };
  tf.dispose([all.x, all.y, labels]);
  const model = tinyClassifier({ inputDim: 6, hidden: 12, classes: 3, seed: 3 });
  model.compile({ optimizer: tf.train.adam(0.05), loss: 'sparseCategoricalCrossentropy' });
  await model.fit(data.train.x, data.train.y, { epochs: 20, batchSize: 30, shuffle: false, verbose: 0 });
  return {
    model,
    data,
    dispose() {
      model.dispose();
      tf.dispose([data.train.x, data.train.y, data.test.x, data.test.y]);
    },
  };
}

/** A small grid: two methods, two seeds, a short retrain. */
export const SMALL_GRID = {
  scenarios: [{ kind: 'full-class' as const, class: 0 }],
  methods: { ssd: { name: 'ssd', options: { alpha: 1, batchSize: 16 } }, jit: { name: 'jit', options: {} } },
  retrain: { name: 'retrain', options: { epochs: 4, batchSize: 16 } },
  seeds: [0, 1],
};

export async function tempDir(): Promise<string> {
  return mkdtemp(join(tmpdir(), 'unlearn-jobs-'));
}

export const removeDir = (dir: string) => rm(dir, { recursive: true, force: true });

/**
 * The tiny problem and a temporary folder for the tests of one describe block: made before them,
 * disposed and removed after. Read the fields inside tests (they are set by beforeAll).
 */
export function useTinyProblem(): { problem: Awaited<ReturnType<typeof tinyProblem>>; dir: string } {
  const ctx = {} as { problem: Awaited<ReturnType<typeof tinyProblem>>; dir: string };
  beforeAll(async () => {
    ctx.problem = await tinyProblem();
    ctx.dir = await tempDir();
  });
  afterAll(async () => {
    ctx.problem?.dispose();
    if (ctx.dir) await removeDir(ctx.dir);
  });
  return ctx;
}

/** Searches for the auto-job tests: two methods with a strength, two seeds, a short retrain as reference. */
export const AUTO_SEARCHES = {
  scenarios: [{ kind: 'full-class' as const, class: 0 }],
  methods: { ssd: { name: 'ssd', options: { batchSize: 16 } }, jit: { name: 'jit', options: {} } },
  retrain: { name: 'retrain', options: { epochs: 4, batchSize: 16 } },
  seeds: [0, 1],
  auto: { maxTrials: 8 },
};

/** Searches less what reads the clock (trial times, shared-work times, the search's time). */
export function untimedSearches(searches: { search?: { trials: { timeMs: number }[]; shared?: unknown }; timeMs: number; metrics: Record<string, number> }[]) {
  return searches.map(({ search, timeMs: _time, metrics, ...rest }) => ({
    ...rest,
    metrics: untimedMetrics(metrics),
    ...(search ? { search: { ...search, shared: undefined, trials: search.trials.map(({ timeMs: _t, ...t }) => t) } } : {}),
  }));
}

/** A reference-model set: JiT (seeded noise, so runs differ) against a short retrain. */
export const REFERENCE_MODELS = {
  scenario: { kind: 'full-class' as const, class: 0 },
  unlearn: { name: 'jit', options: {} },
  retrain: { name: 'retrain', options: { epochs: 4, batchSize: 16 } },
};

/** Every weight of a model as plain numbers. */
export async function weightsOf(model: { model: unknown }): Promise<number[][]> {
  const weights = (model.model as { getWeights(): tf.Tensor[] }).getWeights();
  return Promise.all(weights.map(async (w) => Array.from(await w.data())));
}
