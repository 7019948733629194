import { mkdir, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { defineOptions, defineUnlearner, option, registerUnlearner, unregisterUnlearner } from '@unlearn/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { folderStore, planGrid, putEvalData, runJob, trainReferenceModels, embeddedDriver } from '../src/index.js';
import { SMALL_GRID, useTinyProblem } from './helpers.js';

// A job's options reach whichever worker takes it, with that worker's permissions: options that
// read or write files must be refused when planning, and again by the worker.

const PATH_METHOD = 'test-writes-a-file';

describe('options that touch the file system', () => {
  const tiny = useTinyProblem();
  beforeAll(() => {
    // A method whose schema marks an option as a path (as retrain's checkpointDir is).
    const schema = defineOptions<{ report?: string }>({
      method: PATH_METHOD,
      fields: { report: option.custom<string>({ requirement: 'a file path', check: (v) => typeof v === 'string', path: true }) },
      defaults: {},
    });
    registerUnlearner(PATH_METHOD, (options = {}) => defineUnlearner({ name: PATH_METHOD, options: schema.resolve(options), needs: {}, schema, async unlearn() {} }), {
      schema,
      source: 'test',
    });
  });
  afterAll(() => {
    unregisterUnlearner(PATH_METHOD);
  });

  const inputs = async (name: string) => {
    const store = folderStore(join(tiny.dir, name));
    return { store, inputs: { model: await store.putModel(tiny.problem.model), data: await putEvalData(store, tiny.problem.data) } };
  };

  it('are refused when a grid or a reference-model set is planned', async () => {
    const { store, inputs: at } = await inputs('plan');
    const retrain = (options: Record<string, unknown>) => planGrid({ ...SMALL_GRID, retrain: { name: 'retrain', options } }, at);
    await expect(retrain({ checkpointDir: join(tiny.dir, 'ckpt') })).rejects.toThrow(/"checkpointDir" reads or writes files/);
    await expect(retrain({ checkpointStore: {} })).rejects.toThrow(/"checkpointStore"/);
    await expect(retrain({ resume: true })).rejects.toThrow(/"resume"/);
    await expect(planGrid({ ...SMALL_GRID, methods: { m: { name: PATH_METHOD, options: { report: 'out.txt' } } } }, at)).rejects.toThrow(
      /test-writes-a-file's option "report"/,
    );
    const refs = trainReferenceModels({
      model: tiny.problem.model,
      data: tiny.problem.data,
      store,
      driver: embeddedDriver(store),
      scenario: { kind: 'full-class', class: 0 },
      k: 1,
      unlearn: { name: 'jit' },
      retrain: { name: 'retrain', options: { checkpointDir: join(tiny.dir, 'ckpt') } },
    });
    await expect(refs).rejects.toThrow(/"checkpointDir"/);
    // The default, which reads nothing, passes.
    expect((await retrain({ resume: false, epochs: 1 })).cells).toHaveLength(2);
  });

  it('are refused by the worker when a queued job carries them, and the folder is left alone', async () => {
    const { store, inputs: at } = await inputs('run');
    const plan = await planGrid({ ...SMALL_GRID, seeds: [0], retrain: { name: 'retrain', options: { epochs: 1, batchSize: 16 } } }, at);
    const reference = plan.cells[0]!.reference!.spec;
    // What anyone who can write to the queue could send: a folder the worker would replace with a checkpoint.
    const victim = join(tiny.dir, 'victim');
    await mkdir(victim);
    await writeFile(join(victim, 'keep.txt'), 'precious');
    const forged = { ...reference, method: { ...reference.method!, options: { ...reference.method!.options, checkpointDir: victim } } };
    await expect(runJob(forged, store)).rejects.toThrow(/"checkpointDir" reads or writes files/);
    expect(await readdir(victim)).toEqual(['keep.txt']);
    expect(await store.resultKeys()).toEqual([]);
  });
});
