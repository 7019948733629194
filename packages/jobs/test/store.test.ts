import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { embeddedDriver, folderStore, jobKey, planGrid, putEvalData, runJob } from '../src/index.js';
import { SMALL_GRID, useTinyProblem } from './helpers.js';

describe('the job store', () => {
  const tiny = useTinyProblem();

  it('names models and data by their bytes, so every machine plans the same keys', async () => {
    const a = folderStore(join(tiny.dir, 'a'));
    const b = folderStore(join(tiny.dir, 'b'));
    const inputsA = { model: await a.putModel(tiny.problem.model), data: await putEvalData(a, tiny.problem.data) };
    const inputsB = { model: await b.putModel(tiny.problem.model), data: await putEvalData(b, tiny.problem.data) };
    expect(inputsA).toEqual(inputsB);
    expect(await a.putModel(tiny.problem.model)).toBe(inputsA.model);
    const keys = async (inputs: typeof inputsA) => (await planGrid(SMALL_GRID, inputs)).cells.flatMap((c) => [c.reference!.key, ...c.rest.map((j) => j.key)]);
    const planned = await keys(inputsA);
    expect(planned).toEqual(await keys(inputsB));
    expect(new Set(planned).size).toBe(8);
    const other = await planGrid({ ...SMALL_GRID, seeds: [0] }, inputsA);
    expect(other.cells[0]!.reference!.key).toBe(planned[0]);
    expect(await jobKey({ ...other.cells[0]!.reference!.spec, seed: 7 })).not.toBe(planned[0]);
  });

  it('keeps the first of duplicate completions: two runs of one job at once publish one result', async () => {
    const store = folderStore(join(tiny.dir, 'dup'));
    const plan = await planGrid(SMALL_GRID, { model: await store.putModel(tiny.problem.model), data: await putEvalData(store, tiny.problem.data) });
    const ref = plan.cells[0]!.reference!;
    const driver = embeddedDriver(store);
    await driver.run([ref]);
    await driver.close();
    const job = plan.cells[0]!.rest.find((j) => j.spec.kind === 'method')!;
    // Two workers that both got the job (a stall that was only slow): each runs it, one result stands.
    const [x, y] = await Promise.all([runJob(job.spec, store), runJob(job.spec, store)]);
    expect([x.ran, y.ran].sort()).toEqual([false, true]);
    expect(x.result.ran).toEqual(y.result.ran);
    expect(await readdir(join(store.root, 'results'))).toEqual(expect.arrayContaining([ref.key, job.key]));
    expect((await readdir(join(store.root, 'results'))).filter((n) => n.startsWith('.'))).toEqual([]);
    // Asked again later, it runs nothing.
    expect((await runJob(job.spec, store)).ran).toBe(false);
  });
});
