import { join } from 'node:path';
import { defineUnlearner, registerUnlearner, unregisterUnlearner } from '@unlearn/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { embeddedDriver, folderStore, planGrid, putEvalData, runGrid, type JobEvent } from '../src/index.js';
import { useTinyProblem } from './helpers.js';

// When one job of a grid fails, the grid fails: the jobs not yet started must not start, and the
// grid must not return while one still runs (its caller closes the driver next, disposing the
// model and data that job uses).

const FAILING = 'test-fails';

const settle = () => new Promise((done) => setTimeout(done, 300));

describe('a failed job', () => {
  const tiny = useTinyProblem();
  beforeAll(() => {
    registerUnlearner(FAILING, (options = {}) =>
      defineUnlearner({
        name: FAILING,
        options,
        needs: {},
        async unlearn() {
          throw new Error('boom');
        },
      }),
    );
  });
  afterAll(() => {
    unregisterUnlearner(FAILING);
  });

  // Two cells whose reference fails: the first failure must stop the second cell.
  const grid = { scenarios: [{ kind: 'full-class' as const, class: 0 }, { kind: 'full-class' as const, class: 1 }], methods: { jit: { name: 'jit' } }, retrain: { name: FAILING } };

  it("stops the grid's other cells, and the grid rejects with its error", async () => {
    const store = folderStore(join(tiny.dir, 'grid'));
    const driver = embeddedDriver(store);
    const events: JobEvent[] = [];
    try {
      await expect(runGrid({ ...grid, model: tiny.problem.model, data: tiny.problem.data, store, driver, onProgress: (e) => events.push(e) })).rejects.toThrow(/boom/);
    } finally {
      await driver.close();
    }
    await settle();
    expect(events.filter((e) => e.status === 'start')).toHaveLength(1);
  });

  it('stops the rest of its batch in the embedded driver, which settles only then', async () => {
    const store = folderStore(join(tiny.dir, 'batch'));
    const plan = await planGrid(grid, { model: await store.putModel(tiny.problem.model), data: await putEvalData(store, tiny.problem.data) });
    const driver = embeddedDriver(store);
    const events: JobEvent[] = [];
    try {
      await expect(driver.run([plan.cells[0]!.reference!, plan.cells[1]!.reference!], { onEvent: (e) => events.push(e) })).rejects.toThrow(/boom/);
    } finally {
      await driver.close();
    }
    await settle();
    expect(events.filter((e) => e.status === 'start')).toHaveLength(1);
  });
});
