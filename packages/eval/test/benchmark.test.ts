import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { noopUnlearner } from '@unlearn/core';
import { tinyClassifier } from '@unlearn/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  benchmark,
  builtinMetrics,
  defaultMetrics,
  fullClass,
  memoryRetrainCache,
  randomSamples,
  referenceRow,
  type BenchmarkProgress,
  type BenchmarkReport,
} from '../src/index.js';
import { benchmark as nodeBenchmark } from '../src/node/index.js';
import { expectUnlearnError, failingUnlearner, testAscent, testRetrain, toyProblem } from './helpers.js';

let toy: ReturnType<typeof toyProblem>;
beforeAll(() => {
  toy = toyProblem();
});
afterAll(() => toy.dispose());

const scenarios = () => [fullClass(0), randomSamples(6)];

describe('benchmark grid', () => {
  let report: BenchmarkReport;
  const calls = { count: 0 };
  const events: BenchmarkProgress[] = [];
  let tensorsBefore = 0;

  beforeAll(async () => {
    tensorsBefore = tf.memory().numTensors;
    report = await benchmark({
      model: toy.model,
      data: toy.data,
      scenarios: scenarios(),
      unlearners: { noop: noopUnlearner(), ascent: () => testAscent() },
      retrain: testRetrain({ calls }),
      seeds: [1, 2],
      onProgress: (e) => events.push(e),
    });
  });

  it('retrains once per scenario and seed, and frees every tensor it made', () => {
    expect(calls.count).toBe(4);
    expect(report.timings.retrainRuns).toBe(4);
    expect(report.timings.methodRuns).toBe(8);
    expect(tf.memory().numTensors).toBe(tensorsBefore);
  });

  it('records rows in order with a run per seed', () => {
    expect(report.scenarios.map((s) => s.name)).toEqual(['full-class(0)', 'random(6)']);
    for (const s of report.scenarios) {
      expect(s.rows.map((r) => [r.name, r.role])).toEqual([
        ['original', 'original'],
        ['test-retrain', 'reference'],
        ['noop', 'method'],
        ['ascent', 'method'],
      ]);
      for (const row of s.rows) expect(row.runs.map((r) => r.seed)).toEqual([1, 2]);
    }
    expect(report.scenarios[0]!.sizes).toEqual({ forgetTrain: 20, retainTrain: 40, forgetTest: 10, retainTest: 20, test: 30 });
    expect(report.scenarios[1]!.sizes.forgetTrain).toBe(6);
    expect(report.seeds).toEqual([1, 2]);
    expect(report.backend).toBe(tf.getBackend());
    expect(report.metrics.map((m) => m.id)).toEqual(defaultMetrics.map((m) => m.id));
  });

  it('evaluates an unchanged copy exactly like the original model', () => {
    for (const s of report.scenarios) {
      const original = s.rows.find((r) => r.name === 'original')!;
      const noop = s.rows.find((r) => r.name === 'noop')!;
      for (const id of ['retainTestAcc', 'forgetTestAcc', 'forgetTrainAcc', 'mia', 'jsToRetrain', 'activationDistance', 'zrf']) {
        expect(noop.runs.map((r) => r.metrics[id])).toEqual(original.runs.map((r) => r.metrics[id]));
      }
      expect(original.runs.every((r) => Number.isNaN(r.metrics.timeMs!) && Number.isNaN(r.metrics.speedUp!))).toBe(true);
    }
  });

  it('measures distances against the retrained reference', () => {
    const [full] = report.scenarios;
    const ref = referenceRow(full!)!;
    for (const run of ref.runs) {
      expect(run.metrics.jsToRetrain).toBe(0);
      expect(run.metrics.activationDistance).toBe(0);
      expect(run.metrics.speedUp).toBe(1);
      expect(run.timeMs).toBeGreaterThan(0);
      expect(run.cached).toBe(false);
    }
    const original = full!.rows[0]!;
    // The trained model knows class 0; a model trained without it never predicts it.
    expect(original.summary.forgetTestAcc!.mean).toBeGreaterThan(0.8);
    expect(ref.summary.forgetTestAcc!.mean).toBe(0);
    expect(ref.summary.retainTestAcc!.mean).toBeGreaterThan(0.8);
    expect(original.summary.jsToRetrain!.mean).toBeGreaterThan(0.1);
    const ascent = full!.rows.find((r) => r.name === 'ascent')!;
    expect(ascent.runs.every((r) => r.metrics.timeMs! > 0 && r.metrics.speedUp! > 0)).toBe(true);
    expect(ascent.runs[0]!.metrics.speedUp).toBeCloseTo(ref.runs[0]!.timeMs / ascent.runs[0]!.timeMs, 8);
  });

  it('summarises each metric over seeds', () => {
    const row = report.scenarios[1]!.rows.find((r) => r.name === 'ascent')!;
    const values = row.runs.map((r) => r.metrics.mia!);
    const s = row.summary.mia!;
    expect(s.n).toBe(2);
    expect(s.mean).toBeCloseTo((values[0]! + values[1]!) / 2, 12);
    expect(s.min).toBe(Math.min(...values));
    expect(s.max).toBe(Math.max(...values));
    expect(s.std).toBeCloseTo(Math.abs(values[0]! - values[1]!) / Math.SQRT2, 12);
  });

  it('reports progress over the whole grid with an ETA', () => {
    const total = 2 * 2 * 3;
    expect(events.every((e) => e.total === total)).toBe(true);
    const finished = events.filter((e) => e.status === 'done');
    expect(finished.map((e) => e.cell)).toEqual(Array.from({ length: total }, (_, i) => i + 1));
    for (let i = 1; i < events.length; i++) expect(events[i]!.cell).toBeGreaterThanOrEqual(events[i - 1]!.cell);
    expect(events[0]!.etaMs).toBeUndefined();
    // The first cell is a retrain: no method has finished, so their time is not guessed from it.
    expect(finished[0]!.role).toBe('reference');
    expect(finished[0]!.etaMs).toBeUndefined();
    const firstMethod = finished.findIndex((e) => e.role === 'method');
    expect(finished[firstMethod]!.etaMs).toBeGreaterThan(0);
    expect(finished.at(-1)!.etaMs).toBe(0);
    expect(events.some((e) => e.status === 'running' && e.step?.phase === 'train' && e.role === 'reference')).toBe(true);
    expect(new Set(finished.map((e) => `${e.scenario}/${e.seed}/${e.method}`)).size).toBe(total);
  });
});

describe('benchmark options and errors', () => {
  const base = () => ({ model: toy.model, data: toy.data, scenarios: [fullClass(1)], unlearners: { noop: noopUnlearner() } });

  it('refuses metrics that need a retrained model when there is none, naming them', async () => {
    await expectUnlearnError(benchmark(base()), 'MISSING_DATA', /jsToRetrain, activationDistance, speedUp compare against a retrained model/);
  });

  it('runs without a reference when no metric needs one', async () => {
    const report = await benchmark({ ...base(), metrics: defaultMetrics.filter((m) => !m.needsRetrained) });
    expect(report.scenarios[0]!.rows.map((r) => r.role)).toEqual(['original', 'method']);
    expect(report.retrain).toBeUndefined();
  });

  it('rejects bad grids before any work', async () => {
    const calls = { count: 0 };
    const withRetrain = { ...base(), retrain: testRetrain({ calls }) };
    await expectUnlearnError(benchmark({ ...withRetrain, seeds: [] }), 'INVALID_OPTION', /seeds/);
    await expectUnlearnError(benchmark({ ...withRetrain, seeds: [1, 1] }), 'INVALID_OPTION', /distinct seeds/);
    await expectUnlearnError(benchmark({ ...withRetrain, scenarios: [] }), 'INVALID_OPTION', /scenarios/);
    await expectUnlearnError(benchmark({ ...withRetrain, unlearners: {} }), 'INVALID_OPTION', /unlearners/);
    await expectUnlearnError(benchmark({ ...withRetrain, modelFactory: () => toy.model }), 'INVALID_OPTION', /exactly one of model/);
    await expectUnlearnError(benchmark({ ...withRetrain, unlearners: { original: noopUnlearner() } }), 'INVALID_OPTION', /"original"/);
    await expectUnlearnError(benchmark({ ...withRetrain, cacheDir: '/tmp/x' } as never), 'INVALID_OPTION', /@unlearn\/eval\/node/);
    await expectUnlearnError(benchmark({ ...withRetrain, scenarios: [fullClass(9)] }), 'LABEL_OUT_OF_RANGE', /class 9/);
    const noTestLabels = await expectUnlearnError(benchmark({ ...withRetrain, data: { ...toy.data, test: { x: toy.data.test.x } } as never }), 'MISSING_DATA', /data\.test\.y/);
    expect(noTestLabels).toMatchObject({ split: 'test', field: 'y' });
    const noTrain = await expectUnlearnError(benchmark({ ...withRetrain, data: { test: toy.data.test } as never }), 'MISSING_DATA', /data\.train\.x/);
    expect(noTrain).toMatchObject({ split: 'train', field: 'x' });
    expect(calls.count).toBe(0);
  });

  it('records a failing method and carries on', async () => {
    const report = await benchmark({
      ...base(),
      unlearners: { broken: failingUnlearner(), noop: noopUnlearner() },
      metrics: [builtinMetrics.retainTestAcc, builtinMetrics.mia],
      seeds: [0, 1],
    });
    const [, broken, noop] = report.scenarios[0]!.rows;
    expect(broken!.runs.map((r) => r.error)).toEqual(['planned failure', 'planned failure']);
    expect(broken!.summary.mia!.n).toBe(0);
    expect(noop!.summary.mia!.n).toBe(2);
    expect(report.timings.failedRuns).toBe(2);
    await expect(
      benchmark({ ...base(), unlearners: { broken: failingUnlearner() }, metrics: [builtinMetrics.mia], continueOnError: false }),
    ).rejects.toThrow('planned failure');
  });

  it('stops when aborted', async () => {
    const controller = new AbortController();
    const before = tf.memory().numTensors;
    await expectUnlearnError(
      benchmark({
        ...base(),
        retrain: testRetrain({ steps: 400 }),
        signal: controller.signal,
        onProgress: (e) => e.status === 'running' && controller.abort(),
      }),
      'ABORTED',
    );
    expect(tf.memory().numTensors).toBe(before);
  });

  it('builds the model per seed with modelFactory and disposes it', async () => {
    const seen: number[] = [];
    const before = tf.memory().numTensors;
    const report = await benchmark({
      modelFactory: async (seed) => {
        seen.push(seed);
        return tinyClassifier({ inputDim: 4, hidden: 8, classes: 3, seed });
      },
      data: toy.data,
      scenarios: [fullClass(1), randomSamples(4)],
      unlearners: { noop: noopUnlearner() },
      metrics: [builtinMetrics.retainTestAcc],
      seeds: [3, 4],
    });
    expect(seen).toEqual([3, 4]);
    expect(report.scenarios[0]!.rows[0]!.summary.retainTestAcc!.n).toBe(2);
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe('retrain cache', () => {
  const run = (cache: ReturnType<typeof memoryRetrainCache>, calls: { count: number }, steps = 60) =>
    benchmark({
      model: toy.model,
      data: toy.data,
      scenarios: [fullClass(2), randomSamples(5)],
      unlearners: { ascent: testAscent() },
      retrain: testRetrain({ calls, steps }),
      seeds: [0, 1],
      cache,
    });

  it('reuses retrained models from memory: the second run does not retrain', async () => {
    const cache = memoryRetrainCache();
    const calls = { count: 0 };
    const first = await run(cache, calls);
    expect(calls.count).toBe(4);
    expect(cache.size).toBe(4);
    const second = await run(cache, calls);
    expect(calls.count).toBe(4);
    expect(second.timings).toMatchObject({ retrainRuns: 0, retrainCacheHits: 4 });
    for (const [i, s] of second.scenarios.entries()) {
      const a = referenceRow(first.scenarios[i]!)!;
      const b = referenceRow(s)!;
      expect(b.runs.every((r) => r.cached)).toBe(true);
      expect(b.runs.map((r) => r.timeMs)).toEqual(a.runs.map((r) => r.timeMs));
      expect(b.runs.map((r) => r.metrics)).toEqual(a.runs.map((r) => r.metrics));
      const ascentA = a && first.scenarios[i]!.rows.find((r) => r.name === 'ascent')!;
      const ascentB = s.rows.find((r) => r.name === 'ascent')!;
      expect(ascentB.runs.map((r) => r.metrics.jsToRetrain)).toEqual(ascentA.runs.map((r) => r.metrics.jsToRetrain));
    }
    // Other retrain options are another reference.
    await run(cache, calls, 40);
    expect(calls.count).toBe(8);
    cache.clear();
  });

  it('keeps retrained models on disk with @unlearn/eval/node', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'unlearn-eval-cache-'));
    try {
      const calls = { count: 0 };
      const options = {
        model: toy.model,
        data: toy.data,
        scenarios: [fullClass(2)],
        unlearners: { noop: noopUnlearner() },
        retrain: testRetrain({ calls }),
        seeds: [0, 1],
        cacheDir: dir,
      };
      const first = await nodeBenchmark(options);
      expect(calls.count).toBe(2);
      expect(readdirSync(dir).filter((f) => /^[0-9a-f]{64}$/.test(f))).toHaveLength(2);
      const second = await nodeBenchmark(options);
      expect(calls.count).toBe(2);
      expect(second.timings.retrainCacheHits).toBe(2);
      const a = referenceRow(first.scenarios[0]!)!;
      const b = referenceRow(second.scenarios[0]!)!;
      expect(b.runs.map((r) => r.metrics.retainTestAcc)).toEqual(a.runs.map((r) => r.metrics.retainTestAcc));
      expect(b.runs.map((r) => r.timeMs)).toEqual(a.runs.map((r) => r.timeMs));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
