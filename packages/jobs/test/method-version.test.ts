import { createRequire } from 'node:module';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { folderStore, jobKey, planGrid, putEvalData, runJob } from '../src/index.js';
import { SMALL_GRID, useTinyProblem } from './helpers.js';

// A job's key must change when the code of its method does: a result of @unlearn/jit 0.1 is not
// one of 0.2. The planner names the registering package and its version; a worker checks them.

const versionOf = (name: string) => (createRequire(import.meta.url)(`${name}/package.json`) as { version: string }).version;

describe("the method's package and version in a job", () => {
  const tiny = useTinyProblem();

  it('are part of every planned job, so another version plans other keys; a worker with another version refuses the job', async () => {
    const store = folderStore(join(tiny.dir, 'store'));
    const inputs = { model: await store.putModel(tiny.problem.model), data: await putEvalData(store, tiny.problem.data) };
    const plan = await planGrid({ ...SMALL_GRID, seeds: [0] }, inputs);
    const cell = plan.cells[0]!;
    expect(cell.reference!.spec.method).toMatchObject({ name: 'retrain', source: '@unlearn/retrain', version: versionOf('@unlearn/retrain') });
    const jit = cell.rest.find((j) => j.spec.method?.name === 'jit')!;
    expect(jit.spec.method).toMatchObject({ source: '@unlearn/jit', version: versionOf('@unlearn/jit') });

    // The same job planned where @unlearn/jit is another version.
    const other = { ...jit.spec, method: { ...jit.spec.method!, version: '99.0.0' } };
    expect(await jobKey(other)).not.toBe(jit.key);
    await expect(runJob(other, store)).rejects.toThrow(/comes from @unlearn\/jit 99\.0\.0, this process has @unlearn\/jit \d/);
    expect(await store.resultKeys()).toEqual([]);
  });
});
