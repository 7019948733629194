import { readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { createUnlearner } from '@unlearn/core';
import { benchmark, fullClass } from '@unlearn/eval';
import { describe, expect, it } from 'vitest';
import { embeddedDriver, folderStore, runGrid, untimedReport, type JobEvent } from '../src/index.js';
import { SMALL_GRID, useTinyProblem } from './helpers.js';

describe('runGrid with the embedded driver', () => {
  const tiny = useTinyProblem();

  const grid = async (onEvent?: (e: JobEvent) => void) => {
    const store = folderStore(join(tiny.dir, 'store'));
    const driver = embeddedDriver(store);
    try {
      return await runGrid({ ...SMALL_GRID, model: tiny.problem.model, data: tiny.problem.data, store, driver, ...(onEvent ? { onProgress: onEvent } : {}) });
    } finally {
      await driver.close();
    }
  };

  it('gives the numbers of the single-process benchmark, row for row, and leaks no tensor', async () => {
    const before = tf.memory().numTensors;
    const events: JobEvent[] = [];
    const { report } = await grid((e) => events.push(e));
    expect(tf.memory().numTensors).toBe(before);
    const direct = await benchmark({
      model: tiny.problem.model,
      data: tiny.problem.data,
      scenarios: [fullClass(0)],
      unlearners: { ssd: () => createUnlearner('ssd', { alpha: 1, batchSize: 16 }), jit: () => createUnlearner('jit', {}) },
      retrain: () => createUnlearner('retrain', { epochs: 4, batchSize: 16 }),
      seeds: [0, 1],
    });
    expect(untimedReport(report)).toEqual(untimedReport(direct));
    const [s] = report.scenarios;
    expect(s!.rows.map((r) => [r.name, r.role, r.runs.map((run) => run.seed)])).toEqual(
      direct.scenarios[0]!.rows.map((r) => [r.name, r.role, r.runs.map((run) => run.seed)]),
    );
    expect(s!.rows.find((r) => r.name === 'ssd')!.options).toEqual(direct.scenarios[0]!.rows.find((r) => r.name === 'ssd')!.options);
    expect(s!.sizes).toEqual(direct.scenarios[0]!.sizes);
    // 2 seeds × (reference + original + 2 methods), each run once.
    expect(events.filter((e) => e.status === 'done')).toHaveLength(8);
    expect(report.timings).toMatchObject({ retrainRuns: 2, retrainCacheHits: 0, methodRuns: 4, failedRuns: 0 });
  });

  it('runs nothing again when every result is stored, and only what is missing after an interruption', async () => {
    const again: JobEvent[] = [];
    const first = await grid((e) => again.push(e));
    expect(again.filter((e) => e.status === 'done')).toHaveLength(0);
    expect(again.filter((e) => e.status === 'cached')).toHaveLength(8);
    expect(first.report.timings).toMatchObject({ retrainRuns: 0, retrainCacheHits: 2 });

    // As if the grid had been stopped before two of its jobs finished.
    const methodJobs = first.plan.cells.flatMap((c) => c.rest).filter((j) => j.spec.kind === 'method');
    const lost = methodJobs.slice(0, 2).map((j) => j.key);
    for (const key of lost) await rm(join(tiny.dir, 'store', 'results', key), { recursive: true });
    const resumed: JobEvent[] = [];
    const second = await grid((e) => resumed.push(e));
    expect(resumed.filter((e) => e.status === 'done').map((e) => e.job.key).sort()).toEqual([...lost].sort());
    expect(untimedReport(second.report)).toEqual(untimedReport(first.report));
    expect((await readdir(join(tiny.dir, 'store', 'results'))).filter((n) => !n.startsWith('.'))).toHaveLength(8);
  });
});
