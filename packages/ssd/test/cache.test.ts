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

  it('[bad input] an importance cache computed for other weights, of another kind or batch size, with other shapes, or not a cache → MISMATCH saying which', async () => {
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

  it('[bad input] an importance cache (in memory or read back from disk) holding NaN, Infinity or a negative value → NON_FINITE or MISMATCH naming the variable, before any weight changes; no tensor leaked', async () => {
    const set = await computeImportances(t.model, t.train, { kind: 'fisher', batchSize: 8 });
    const before = await hashWeights(toModelAdapter(t.model));
    const tensors = tf.memory().numTensors;
    const withValue = (i: number, value: number): ImportanceSet => {
      const values = set.tensors[i]!.dataSync().slice();
      values[1] = value;
      return { ...set, tensors: set.tensors.map((x, k) => (k === i ? tf.tensor(values, x.shape) : x)) };
    };
    for (const [value, code, message] of [
      [Number.NaN, 'NON_FINITE', /cached importance 2 \(.+\) contains NaN or Infinity/],
      [Number.POSITIVE_INFINITY, 'NON_FINITE', /cached importance 2 \(.+\) contains NaN or Infinity/],
      [-1, 'MISMATCH', /cached importance 2 \(.+\) has negative values/],
    ] as const) {
      const broken = withValue(2, value);
      // Through the file format too: the cache on disk is what a later run reads.
      await saveImportances(broken, dir);
      const loaded = await loadImportances(dir);
      const error = await unlearn(t.model, { forget: t.forget, importances: loaded }, ssd({ batchSize: 8 }), { inPlace: true }).catch((e: unknown) => e);
      expect(error).toMatchObject({ code, split: 'importances', index: 2 });
      expect((error as Error).message).toMatch(message);
      broken.tensors[2]!.dispose();
      disposeImportances(loaded);
    }
    expect(await hashWeights(toModelAdapter(t.model))).toBe(before);
    expect(tf.memory().numTensors).toBe(tensors);
    disposeImportances(set);
  });

  it('refuses a folder that is not an importance cache', async () => {
    await expectCode(loadImportances(join(dir, 'missing')), 'CORRUPT_FILE');
    await writeFile(join(dir, 'manifest.json'), JSON.stringify({ format: 'unlearn-tensors', version: 1, meta: { format: 'x' }, tensors: [] }));
    await writeFile(join(dir, 'tensors.bin'), new Uint8Array(0));
    await expectCode(loadImportances(dir), 'CORRUPT_FILE', /not an SSD importance cache/);
  });
});
