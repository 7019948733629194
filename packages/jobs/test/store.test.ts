import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { embeddedDriver, folderStore, jobKey, planGrid, putEvalData, runJob } from '../src/index.js';
import { removeDir, SMALL_GRID, tempDir, tinyProblem } from './helpers.js';

describe('the job store', () => {
  let problem: Awaited<ReturnType<typeof tinyProblem>>;
  let dir: string;
  beforeAll(async () => {
    problem = await tinyProblem();
    dir = await tempDir();
  });
  afterAll(async () => {
    problem.dispose();
    await removeDir(dir);
  });

  it('names models and data by their bytes, so every machine plans the same keys', async () => {
    const a = folderStore(join(dir, 'a'));
    const b = folderStore(join(dir, 'b'));
    const inputsA = { model: await a.putModel(problem.model), data: await putEvalData(a, problem.data) };
    const inputsB = { model: await b.putModel(problem.model), data: await putEvalData(b, problem.data) };
    expect(inputsA).toEqual(inputsB);
    expect(await a.putModel(problem.model)).toBe(inputsA.model);
    const keys = async (inputs: typeof inputsA) => (await planGrid(SMALL_GRID, inputs)).cells.flatMap((c) => [c.reference!.key, ...c.rest.map((j) => j.key)]);
    const planned = await keys(inputsA);
    expect(planned).toEqual(await keys(inputsB));
    expect(new Set(planned).size).toBe(8);
    const other = await planGrid({ ...SMALL_GRID, seeds: [0] }, inputsA);
    expect(other.cells[0]!.reference!.key).toBe(planned[0]);
    expect(await jobKey({ ...other.cells[0]!.reference!.spec, seed: 7 })).not.toBe(planned[0]);
  });

  it('keeps the first of duplicate completions: two runs of one job at once publish one result', async () => {
    const store = folderStore(join(dir, 'dup'));
    const plan = await planGrid(SMALL_GRID, { model: await store.putModel(problem.model), data: await putEvalData(store, problem.data) });
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
