import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { hashWeights, toModelAdapter, unlearn } from '@unlearn/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { computeImportances, disposeImportances, fisherImportance, ssd, type ImportanceSet } from '../src/index.js';
import { loadImportances, saveImportances } from '../src/node/index.js';
import { expectCode, smallTask, type Task } from './helpers.js';

let t: Task;
let dir: string;
beforeEach(async () => {
  t = smallTask();
  dir = await mkdtemp(join(tmpdir(), 'ssd-cache-'));
});
afterEach(async () => {
  t.model.dispose();
  t.dispose();
  await rm(dir, { recursive: true, force: true });
});

describe('importance cache', () => {
  it('computes, saves and loads a set that reproduces the run on the training set exactly', async () => {
    const set = await computeImportances(t.model, t.train, { kind: 'fisher', batchSize: 8 });
    expect(set).toMatchObject({ kind: 'fisher', batchSize: 8, samples: 36, modelHash: await hashWeights(toModelAdapter(t.model)) });
    expect(set.shapes).toEqual(toModelAdapter(t.model).trainable.map((v) => v.variable.shape));
    const direct = await fisherImportance(t.model, t.train, { batchSize: 8 });
    for (let i = 0; i < direct.length; i++) expect(Array.from(await set.tensors[i]!.data())).toEqual(Array.from(await direct[i]!.data()));
    tf.dispose(direct);

    await saveImportances(set, dir);
    const loaded = await loadImportances(dir);
    expect({ ...loaded, tensors: undefined }).toEqual({ ...set, tensors: undefined });
    for (let i = 0; i < set.tensors.length; i++) expect(Array.from(await loaded.tensors[i]!.data())).toEqual(Array.from(await set.tensors[i]!.data()));

    const method = ssd({ alpha: 2, batchSize: 8 });
    const fromTrain = await unlearn(t.model, { forget: t.forget, train: t.train }, method);
    const fromCache = await unlearn(t.model, { forget: t.forget, importances: loaded }, method);
    expect(fromCache.details.importanceSource).toBe('cache');
    expect(fromTrain.details.importanceSource).toBe('train');
    expect(fromCache.details.selected).toBeGreaterThan(0);
    expect(await hashWeights(toModelAdapter(fromCache.model))).toBe(await hashWeights(toModelAdapter(fromTrain.model)));
    // The caller's cache stays usable after a run.
    expect(loaded.tensors.every((x) => !x.isDisposed)).toBe(true);
    fromTrain.model.dispose();
    fromCache.model.dispose();
    disposeImportances(set);
    disposeImportances(loaded);
  });

  it('refuses a cache computed for other weights, another kind or another batch size, saying which', async () => {
    const fisher = await computeImportances(t.model, t.train, { kind: 'fisher', batchSize: 8 });
    const lossFree = await computeImportances(t.model, t.train, { kind: 'loss-free', batchSize: 8 });
    const run = (importances: unknown, batchSize = 8) => unlearn(t.model, { forget: t.forget, importances }, ssd({ batchSize }));
    await expectCode(run(lossFree), 'MISMATCH', /loss-free \(LF-SSD\) but ssd needs Fisher \(SSD\)/);
    await expectCode(run(fisher, 16), 'MISMATCH', /batch size 8 but this run uses batchSize 16/);
    const other = smallTask(2);
    const foreign = await computeImportances(other.model, other.train, { kind: 'fisher', batchSize: 8 });
    await expectCode(run(foreign), 'MISMATCH', /belong to other weights/);
    const reshaped: ImportanceSet = { ...fisher, shapes: fisher.shapes.map((s, i) => (i === 0 ? [s[0]! + 1, s[1]!] : s)) };
    await expectCode(run(reshaped), 'MISMATCH', /has shape \[5, 8\]/);
    await expectCode(run({ kind: 'fisher' }), 'MISMATCH', /not an ImportanceSet/);
    [fisher, lossFree, foreign].forEach(disposeImportances);
    other.model.dispose();
    other.dispose();
  });

  it('refuses a folder that is not an importance cache', async () => {
    await expectCode(loadImportances(join(dir, 'missing')), 'CORRUPT_FILE');
    await writeFile(join(dir, 'manifest.json'), JSON.stringify({ format: 'unlearn-tensors', version: 1, meta: { format: 'x' }, tensors: [] }));
    await writeFile(join(dir, 'tensors.bin'), new Uint8Array(0));
    await expectCode(loadImportances(dir), 'CORRUPT_FILE', /not an SSD importance cache/);
  });
});
