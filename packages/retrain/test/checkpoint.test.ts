import { spawn } from 'node:child_process';
import { mkdtemp, readdir, readFile, rename, rm, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { isUnlearnError, unlearn, type ProgressEvent } from '@unlearn/core';
import { loadTensors } from '@unlearn/core/node';
import { syntheticClassification, tinyClassifier } from '@unlearn/core/testing';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { finetune, retrain, type Checkpoint, type CheckpointMeta, type CheckpointStore, type RetrainOptions } from '../src/index.js';
import { fileCheckpointStore } from '../src/node.js';
import { expectCode, hash } from './helpers.js';

const data = syntheticClassification({ n: 60, inputDim: 6, classes: 3, seed: 9 });
const forget = syntheticClassification({ n: 6, inputDim: 6, classes: 3, seed: 10 });
const request = { forget, retain: data };
afterAll(() => tf.dispose([data.x, data.y, forget.x, forget.y]));

let root: string;
beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'unlearn-retrain-'));
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

const abortAt = (controller: AbortController, epoch: number, batch: number) => (e: ProgressEvent) => {
  if (e.metrics?.epoch === epoch && e.metrics.batch === batch) controller.abort('test stop');
};

// 60 samples in batches of 7 = 9 steps per epoch: the resume happens after 18 Adam steps, where
// tfjs's setWeights() would re-derive 0.999^19 by pow() one bit off the running product.
const recipes: [string, Partial<RetrainOptions>][] = [
  ['Adam', { epochs: 4, batchSize: 7 }],
  [
    'SGD with momentum, weight decay and the warm-up multistep schedule',
    { epochs: 4, batchSize: 7, optimizer: 'sgd', learningRate: 0.05, momentum: 0.9, weightDecay: 5e-4, schedule: { kind: 'multistep', milestones: [2, 3], warmupEpochs: 1 } },
  ],
];

describe('checkpoints and resume', () => {
  it.each(recipes)('resuming after an abort mid-run gives the weights of an uninterrupted run (%s)', async (_, recipe) => {
    const model = tinyClassifier({ inputDim: 6, seed: 2 });
    const straight = await unlearn(model, request, retrain({ ...recipe, checkpointDir: join(root, 'a') }), { seed: 11 });
    const expected = await hash(straight.model);
    straight.model.dispose();

    const dir = join(root, 'b');
    const controller = new AbortController();
    const stopped = await unlearn(model, request, retrain({ ...recipe, checkpointDir: dir }), {
      seed: 11,
      signal: controller.signal,
      onProgress: abortAt(controller, 3, 4),
    }).catch((e: unknown) => e);
    expect(isUnlearnError(stopped, 'ABORTED')).toBe(true);
    const { meta, tensors } = await loadTensors<CheckpointMeta>(dir);
    tf.dispose(Object.values(tensors));
    expect(meta.completedEpochs).toBe(2);
    expect(meta.history.map((h) => h.epoch)).toEqual([1, 2]);

    const resumed = await unlearn(model, request, retrain({ ...recipe, checkpointDir: dir, resume: true }), { seed: 11 });
    expect(resumed.details.resumedFromEpoch).toBe(2);
    expect((resumed.details.history as unknown[]).length).toBe(4);
    expect(await hash(resumed.model)).toBe(expected);
    resumed.model.dispose();
    model.dispose();
  });

  it('[fault] an abort in the middle of epoch 2 with checkpoints on → the epoch-1 checkpoint intact, no partial files or temporary folders', async () => {
    const model = tinyClassifier({ inputDim: 6 });
    const dir = join(root, 'ckpt');
    const controller = new AbortController();
    await unlearn(model, request, finetune({ epochs: 3, batchSize: 8, checkpointDir: dir }), {
      signal: controller.signal,
      onProgress: abortAt(controller, 2, 1),
    }).catch(() => undefined);
    expect(await readdir(root)).toEqual(['ckpt']);
    expect((await readdir(dir)).sort()).toEqual(['manifest.json', 'tensors.bin']);
    const { meta, tensors } = await loadTensors<CheckpointMeta>(dir);
    expect(meta.completedEpochs).toBe(1);
    expect(Object.keys(tensors).filter((k) => k.startsWith('weight/'))).toHaveLength(4);
    tf.dispose(Object.values(tensors));
    model.dispose();
  });

  it('[fault] a checkpoint save that fails half way → the error reaches the caller; the previous checkpoint intact, no temporary folder', async () => {
    const dir = join(root, 'ckpt');
    const files = fileCheckpointStore(dir);
    let saves = 0;
    const failing: CheckpointStore = {
      location: dir,
      load: () => files.load(),
      // The second save carries metadata that cannot be serialised, so it fails inside the write.
      save: (cp: Checkpoint) => files.save(++saves === 2 ? { ...cp, meta: { ...cp.meta, savedAt: 1n as unknown as string } } : cp),
    };
    const model = tinyClassifier({ inputDim: 6 });
    const error = await unlearn(model, request, finetune({ epochs: 3, batchSize: 8, checkpointStore: failing })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TypeError);
    expect(await readdir(root)).toEqual(['ckpt']);
    const { meta, tensors } = await loadTensors<CheckpointMeta>(dir);
    expect(meta.completedEpochs).toBe(1);
    tf.dispose(Object.values(tensors));
    model.dispose();
  });

  it('[fault] a kill between the two renames of a checkpoint save → resume restores the previous checkpoint, says so, names it (epoch 2 of 4) and ends with the weights of an uninterrupted run', async () => {
    const recipe = recipes[0]![1];
    const model = tinyClassifier({ inputDim: 6, seed: 2 });
    const straight = await unlearn(model, request, retrain(recipe), { seed: 11 });
    const expected = await hash(straight.model);
    straight.model.dispose();

    const dir = join(root, 'ckpt');
    const controller = new AbortController();
    await unlearn(model, request, retrain({ ...recipe, checkpointDir: dir }), { seed: 11, signal: controller.signal, onProgress: abortAt(controller, 3, 4) }).catch(
      () => undefined,
    );
    // What a kill between the two renames of the epoch-3 save leaves: the epoch-2 checkpoint moved
    // aside, the new one not yet in place (here cut short), and no folder at checkpointDir.
    const child = spawn(process.execPath, ['-e', '']);
    await new Promise((done) => child.on('exit', done));
    const stamp = `${child.pid}-${Date.now()}-k1ll3d`;
    await rename(dir, join(root, `.ckpt.old-${stamp}`));
    await mkdir(join(root, `.ckpt.tmp-${stamp}`));
    await writeFile(join(root, `.ckpt.tmp-${stamp}`, 'tensors.bin'), new Uint8Array(10));

    const said: string[] = [];
    const logger = { debug() {}, info: (m: string) => said.push(m), warn: (m: string) => said.push(`warn: ${m}`) };
    const resumed = await unlearn(model, request, retrain({ ...recipe, checkpointDir: dir, resume: true }), { seed: 11, logger });
    const text = said.join('\n');
    expect(text).toMatch(/warn: retrain: checkpoint: .*ckpt: restored the previous output from \.ckpt\.old-/);
    expect(text).toMatch(/warn: retrain: checkpoint: .*ckpt: removed \.ckpt\.tmp-/);
    expect(text).toMatch(/retrain: resume: continuing from the checkpoint in .*ckpt \(epoch 2 of 4, saved \d{4}-\d\d-\d\dT/);
    expect(text).not.toMatch(/no checkpoint/);
    expect(resumed.details.resumedFromEpoch).toBe(2);
    expect(await hash(resumed.model)).toBe(expected);
    expect(await readdir(root)).toEqual(['ckpt']);
    resumed.model.dispose();
    model.dispose();
  });

  it('[fault] resume with no checkpoint in checkpointDir → a warning that it starts from epoch 0, then the same weights as a plain run', async () => {
    const model = tinyClassifier({ inputDim: 6 });
    const warnings: string[] = [];
    const logger = { debug() {}, info() {}, warn: (m: string) => warnings.push(m) };
    const fresh = await unlearn(model, request, retrain({ epochs: 2, batchSize: 8, checkpointDir: join(root, 'new'), resume: true }), { seed: 1, logger });
    expect(warnings.join('\n')).toMatch(/retrain: resume: no checkpoint in .*new; starting from epoch 0/);
    const plain = await unlearn(model, request, retrain({ epochs: 2, batchSize: 8 }), { seed: 1 });
    expect(fresh.details.resumedFromEpoch).toBeNull();
    expect(await hash(fresh.model)).toBe(await hash(plain.model));
    [fresh, plain].forEach((r) => r.model.dispose());
    model.dispose();
  });

  describe('a checkpoint from another run is refused, and the model left unchanged', () => {
    const made = { epochs: 2, batchSize: 8 };
    async function checkpointFrom(options: Partial<RetrainOptions>, seed = 1, inputDim = 6, hidden = 16) {
      const dir = join(root, 'ckpt');
      const model = tinyClassifier({ inputDim, hidden });
      const source = inputDim === 6 ? data : syntheticClassification({ n: 60, inputDim, classes: 3, seed: 9 });
      const other = inputDim === 6 ? forget : { x: tf.slice(source.x, 0, 6), y: tf.slice(source.y, 0, 6) };
      (await unlearn(model, { forget: other, retain: source }, retrain({ ...options, checkpointDir: dir }), { seed })).model.dispose();
      if (source !== data) tf.dispose([source.x, source.y, other.x, other.y]);
      model.dispose();
      return dir;
    }
    async function refused(dir: string, options: Partial<RetrainOptions>, message: RegExp, seed = 1, hidden = 16) {
      const model = tinyClassifier({ inputDim: 6, hidden });
      const before = await hash(model);
      await expectCode(unlearn(model, request, retrain({ ...options, checkpointDir: dir, resume: true }), { seed, inPlace: true }), 'MISMATCH', message);
      expect(await hash(model)).toBe(before);
      model.dispose();
    }

    it('another architecture (weight shapes)', async () => {
      const dir = await checkpointFrom(made, 1, 6, 12);
      await refused(dir, made, /another model \(variable 0 is .*\[6, 12\] there, .*\[6, 16\] here\)/);
    });
    it('[evidence] resume from a checkpoint made with another seed → refused (MISMATCH); the model unchanged', async () => {
      const dir = await checkpointFrom(made, 1);
      await refused(dir, made, /another seed/, 2);
    });
    it('[evidence] resume from a checkpoint made with another recipe (learning rate) → refused (MISMATCH), naming the option; the model unchanged', async () => {
      const dir = await checkpointFrom(made);
      await refused(dir, { ...made, learningRate: 0.01 }, /another recipe \(learningRate: 0\.001 there, 0\.01 here\)/);
    });
    it('[evidence] resume a finetune from a checkpoint that started from other weights → refused (MISMATCH)', async () => {
      const dir = join(root, 'ft');
      const a = tinyClassifier({ inputDim: 6, seed: 1 });
      (await unlearn(a, request, finetune({ ...made, checkpointDir: dir }))).model.dispose();
      const b = tinyClassifier({ inputDim: 6, seed: 2 });
      await expectCode(unlearn(b, request, finetune({ ...made, checkpointDir: dir, resume: true })), 'MISMATCH', /started from different weights/);
      [a, b].forEach((m) => m.dispose());
    });
    it('[evidence] resume from a checkpoint trained on other retain data of the same size (the forget samples still in) → refused (MISMATCH, both SHA-256 named); the model unchanged', async () => {
      const dir = join(root, 'dirty');
      // The same number of rows, but the first six are the samples that were to be forgotten.
      const dirty = { x: tf.concat([forget.x, tf.slice(data.x, 6, 54)]), y: tf.concat([forget.y, tf.slice(data.y, 6, 54)]) as tf.Tensor1D };
      const a = tinyClassifier({ inputDim: 6 });
      const first = await unlearn(a, { forget, retain: dirty }, retrain({ ...made, checkpointDir: dir }), { seed: 1 });
      expect(first.details.retainSha256).toMatch(/^[0-9a-f]{64}$/);
      first.model.dispose();
      a.dispose();
      await refused(dir, made, /trained on other retain data \(SHA-256 [0-9a-f]{16}… there, [0-9a-f]{16}… here\)/);
      tf.dispose([dirty.x, dirty.y]);
    });
    it('[bad input] resume from a checkpointDir that holds something else → CORRUPT_FILE; the folder left as it was', async () => {
      const dir = join(root, 'junk');
      await mkdir(dir);
      await writeFile(join(dir, 'manifest.json'), '{"format":"unlearn-tensors","version":1,"meta":{"format":"other"},"tensors":[]}');
      await writeFile(join(dir, 'tensors.bin'), '');
      const model = tinyClassifier({ inputDim: 6 });
      await expectCode(unlearn(model, request, retrain({ ...made, checkpointDir: dir, resume: true })), 'CORRUPT_FILE', /does not hold a retrain checkpoint/);
      expect(JSON.parse(await readFile(join(dir, 'manifest.json'), 'utf8')).meta.format).toBe('other');
      model.dispose();
    });
  });
});
