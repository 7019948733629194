import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs-core';
import { defineUnlearner, hashWeights, registerUnlearner, toModelAdapter, topOneAccuracy, unregisterUnlearner } from '@unlearn/core';
import { loadModel } from '@unlearn/core/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DeletionRecord } from '../src/index.js';
import { cli, entries, makeWorkspace, removeDir, SSD_INPUTS, type Workspace } from './helpers.js';

let ws: Workspace;
let before: number;

beforeAll(async () => {
  ws = await makeWorkspace();
  before = tf.memory().numTensors;
});
afterAll(async () => {
  ws.model.dispose();
  await removeDir(ws.dir);
});

const sha = async (path: string) => createHash('sha256').update(await readFile(path)).digest('hex');

/** The user-visible part of an SSD run on the workspace: class 0 is the deletion request. */
const ssdArgs = (out: string) => [
  'forget',
  ...SSD_INPUTS,
  '--retain', 'retain.npy',
  '--retain-labels', 'retain-labels.npy',
  '--eval-data', 'test.json',
  '--eval-labels', 'test-labels.json',
  '--method', 'ssd',
  // alpha 1 (R1's full-class setting, docs/algorithms/ssd.md presets) rather than 10: the tiny model's
  // parameters are shared by all three classes, so few clear the default threshold.
  '--set', 'alpha=1',
  '--set', 'batchSize=16',
  '--backend', 'cpu',
  '--out', out,
];

describe('unlearn forget (end to end, in-process)', () => {
  let record: DeletionRecord;

  it('writes a loadable model whose forget accuracy dropped, and a deletion record', async () => {
    const run = await cli(ssdArgs('out-ssd'), ws.dir);
    expect(run.stderr).not.toMatch(/error/);
    expect(run.code).toBe(0);
    expect(await entries(join(ws.dir, 'out-ssd'))).toEqual(['deletion-record.json', 'deletion-record.md', 'model.json', 'weights.bin']);
    record = JSON.parse(await readFile(join(ws.dir, 'out-ssd', 'deletion-record.json'), 'utf8')) as DeletionRecord;

    const forget = record.evidence.forgetAccuracy!;
    expect(forget.before).toBeGreaterThan(0.9);
    expect(forget.after).toBeLessThan(forget.before - 0.2);
    expect(record.evidence.retainAccuracy!.after).toBeGreaterThan(0.8);
    expect(record.evidence.testAccuracy).toBeDefined();
    expect(record.evidence.mia!.before).toBeGreaterThanOrEqual(0);
    expect(record.evidence.parameters.changed).toBeGreaterThan(0);
    const layers = record.evidence.parameters.layers!;
    expect(layers).toHaveLength(2); // the tiny classifier's two dense layers
    expect(layers.reduce((n, l) => n + l.changed, 0)).toBe(record.evidence.parameters.changed);
    expect(layers.every((l) => l.stateChanged === 0)).toBe(true);

    // The saved model loads and really is the unlearned one: same accuracy on the forget set.
    const loaded = await loadModel(join(ws.dir, 'out-ssd'));
    const x = tf.tensor2d(ws.forgetX, [30, 8]);
    const y = tf.zeros([30], 'int32'); // the forget set is class 0
    expect(await topOneAccuracy(toModelAdapter(loaded), { x, y })).toBeCloseTo(forget.after, 6);
    tf.dispose([x, y]);
    loaded.dispose();
  });

  it('records hashes that match the files on disk, and what was asked, not the data', async () => {
    const out = join(ws.dir, 'out-ssd');
    for (const f of record.model.after.files) expect(f.sha256).toBe(await sha(join(out, f.path)));
    for (const f of record.model.before.files) expect(f.sha256).toBe(await sha(join(ws.dir, 'model', f.path)));
    expect(record.model.after.files.map((f) => f.path)).toEqual(['model.json', 'weights.bin']);

    const loaded = await loadModel(out);
    expect(record.model.after.weightsSha256).toBe(await hashWeights(toModelAdapter(loaded)));
    loaded.dispose();
    const original = await loadModel(join(ws.dir, 'model'));
    expect(record.model.before.weightsSha256).toBe(await hashWeights(toModelAdapter(original)));
    original.dispose();
    expect(record.model.after.weightsSha256).not.toBe(record.model.before.weightsSha256);

    expect(record.request.forget.inputs.sha256).toBe(await sha(join(ws.dir, 'forget.npy')));
    expect(record.request.forget.labels!.sha256).toBe(await sha(join(ws.dir, 'forget-labels.npy')));
    expect(record.request.forget).toMatchObject({ samples: 30, inputs: { shape: [30, 8], format: 'npy' } });
    expect(record.request.train!.inputs.sha256).toBe(await sha(join(ws.dir, 'train.json')));
    expect(record.method).toMatchObject({ name: 'ssd', source: '@unlearn/ssd', options: { alpha: 1, batchSize: 16 } });
    expect(record).toMatchObject({ seed: 0, environment: { backend: 'cpu', tfjs: tf.version_core } });
    expect(Object.keys(record.environment.packages)).toEqual(expect.arrayContaining(['@unlearn/cli', '@unlearn/core', '@unlearn/ssd']));
    expect(record.timing.unlearnMs).toBeGreaterThan(0);
    expect(record.timing.totalMs).toBeGreaterThan(record.timing.unlearnMs);
    // No sample value of the forget set appears in the record.
    const text = JSON.stringify(record);
    for (const v of ws.forgetX.slice(0, 16)) expect(text).not.toContain(String(v).slice(0, 8));

    const md = await readFile(join(out, 'deletion-record.md'), 'utf8');
    expect(md).toContain(record.model.after.weightsSha256);
    expect(md).toMatch(/Layers changed: \d of 2; non-trainable state \(batch-norm statistics\) changed: none\./);
    expect(md).toContain(record.request.forget.inputs.sha256);
  });

  it('[evidence] verify with the original model given as the output, or with other forget data → MISMATCH on weights.bin or forget data, "does NOT match" (exit 3)', async () => {
    const ok = await cli(
      ['verify', '--record', 'out-ssd/deletion-record.json', '--original', 'model', '--forget', 'forget.npy', '--labels', 'forget-labels.npy', '--backend', 'cpu', '--json'],
      ws.dir,
    );
    expect(ok.code).toBe(0);
    const result = ok.json<{ ok: boolean; checks: { name: string; ok: boolean }[] }>();
    expect(result.ok).toBe(true);
    expect(result.checks.map((c) => c.name)).toEqual([
      'record digest',
      'after: model.json',
      'after: weights.bin',
      'after: weights',
      'before: model.json',
      'before: weights.bin',
      'before: weights',
      'weights changed',
      'forget data',
      'forget labels',
    ]);

    // Verifying the original model as if it were the output must fail: it did not forget.
    const wrong = await cli(['verify', '--record', 'out-ssd/deletion-record.json', '--model', 'model', '--backend', 'cpu'], ws.dir);
    expect(wrong.code).toBe(3);
    expect(wrong.stdout).toMatch(/MISMATCH after: weights\.bin/);
    expect(wrong.stdout).toMatch(/does NOT match/);

    const otherData = await cli(['verify', '--record', 'out-ssd/deletion-record.json', '--forget', 'retain.npy', '--backend', 'cpu'], ws.dir);
    expect(otherData.code).toBe(3);
    expect(otherData.stdout).toMatch(/MISMATCH forget data/);
  });

  it('[security] a deletion record naming a model file outside its folder (../forget.npy) → verify does not read it: that check fails ("points outside its folder"), exit 3', async () => {
    const text = await readFile(join(ws.dir, 'out-ssd', 'deletion-record.json'), 'utf8');
    const record = JSON.parse(text) as DeletionRecord;
    record.model.after.files[0]!.path = '../forget.npy';
    await writeFile(join(ws.dir, 'out-ssd', 'evil-record.json'), JSON.stringify(record));
    const run = await cli(['verify', '--record', 'out-ssd/evil-record.json', '--backend', 'cpu', '--json'], ws.dir);
    expect(run.code).toBe(3);
    const checks = run.json<{ checks: { name: string; ok: boolean; problem?: string }[] }>().checks;
    expect(checks.find((c) => c.name === 'after: ../forget.npy')).toMatchObject({ ok: false, problem: expect.stringMatching(/points outside its folder/) });
  });

  it('[data loss] --out naming an earlier output, without --force → refused (exit 2), asking for --force; nothing replaced', async () => {
    const again = await cli(ssdArgs('out-ssd'), ws.dir);
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/--out out-ssd already exists and is not empty; pass --force/);
  });

  it('[data loss] --out --force naming the current folder (. or ..), the model folder (also through a link, or given by its model.json), a folder inside it, or a folder of the user\'s files (no deletion record in it) → refused (exit 2) before any work; nothing deleted', async () => {
    const { mkdir, symlink, readdir: list } = await import('node:fs/promises');
    const jit = (out: string, force = true) => cli(['forget', '--model', 'model', '--forget', 'forget.npy', '--method', 'jit', '--backend', 'cpu', '--out', out, ...(force ? ['--force'] : [])], ws.dir);
    const before = await list(ws.dir);
    for (const [out, message] of [
      ['.', /is the current folder or one above it/],
      ['..', /is the current folder or one above it/],
      ['model', /overlaps an input \(.*model\)/],
      ['model/inner', /overlaps an input/],
    ] as const) {
      const run = await jit(out);
      expect(run.code, out).toBe(2);
      expect(run.stderr, out).toMatch(message);
    }
    // The model reached through a link, or named by its model.json, is still the model.
    await symlink(join(ws.dir, 'model'), join(ws.dir, 'model-link'));
    expect((await jit('model-link')).stderr).toMatch(/overlaps an input/);
    expect((await cli(['forget', '--model', 'model/model.json', '--forget', 'forget.npy', '--method', 'jit', '--backend', 'cpu', '--out', 'model', '--force'], ws.dir)).stderr).toMatch(/overlaps an input/);
    // A folder of the user's files is not an earlier output: --force deletes nothing there.
    await mkdir(join(ws.dir, 'notes'));
    await writeFile(join(ws.dir, 'notes', 'todo.txt'), 'keep me');
    const notes = await jit('notes');
    expect(notes.code).toBe(2);
    expect(notes.stderr).toMatch(/not an earlier output of this command \(no deletion-record\.json in it\)/);
    expect(await readFile(join(ws.dir, 'notes', 'todo.txt'), 'utf8')).toBe('keep me');
    expect((await list(ws.dir)).filter((n) => !before.includes(n)).sort()).toEqual(['model-link', 'notes']);
    // An earlier output is replaced.
    expect((await jit('out-ssd')).code).toBe(0);
  });

  it('[data loss] a second run on an --out that a running unlearn holds (its <out>.lock) → refused at once (exit 2), naming the holder; the lock kept, no output written. A dead run\'s lock is taken over, said on stderr', async () => {
    const { hostname } = await import('node:os');
    const jitTo = (out: string) => cli(['forget', '--model', 'model', '--forget', 'forget.npy', '--method', 'jit', '--backend', 'cpu', '--out', out], ws.dir);
    const lock = (pid: number) => JSON.stringify({ tool: 'unlearn', pid, host: hostname(), startedAt: '2026-01-01T00:00:00Z' });
    await writeFile(join(ws.dir, 'out-locked.lock'), lock(process.pid));
    const busy = await jitTo('out-locked');
    expect(busy.code).toBe(2);
    expect(busy.stderr).toMatch(/--out out-locked is being written by another unlearn run \(process \d+ on .*\); wait for it, or remove/);
    expect(await entries(ws.dir)).not.toContain('out-locked');
    expect(await readFile(join(ws.dir, 'out-locked.lock'), 'utf8')).toBe(lock(process.pid));
    // No process has pid 2^22 + 1 here (Linux caps pids at 2^22): the lock is stale.
    await writeFile(join(ws.dir, 'out-locked.lock'), lock(2 ** 22 + 1));
    const taken = await jitTo('out-locked');
    expect(taken.code, taken.stderr).toBe(0);
    expect(taken.stderr).toMatch(/taking over the lock of an earlier run/);
    expect(await entries(ws.dir)).not.toContain('out-locked.lock');
  });

  it('runs retrain on .npy retain data and prints one JSON object with --json', async () => {
    const run = await cli(
      ['forget', '--model', 'model', '--forget', 'forget.npy', '--labels', 'forget-labels.json', '--retain', 'retain.npy', '--retain-labels', 'retain-labels.npy',
        '--method', 'retrain', '--set', 'epochs=10', '--set', 'batchSize=16', '--seed', '7', '--backend', 'cpu', '--out', 'out-retrain', '--json'],
      ws.dir,
    );
    expect(run.code).toBe(0);
    const result = run.json<{ ok: boolean; record: DeletionRecord }>();
    expect(result.ok).toBe(true);
    expect(result.record.seed).toBe(7);
    // A model retrained without class 0 never predicts it.
    expect(result.record.evidence.forgetAccuracy).toEqual({ before: expect.any(Number), after: 0 });
    expect(result.record.evidence.retainAccuracy!.after).toBeGreaterThan(0.8);
    expect(run.stderr).toBe('');
  });

  it('does not leak tensors across commands', () => {
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe('unlearn forget: bad input', () => {
  const base = ['forget', '--model', 'model', '--method', 'jit', '--backend', 'cpu'];

  it('[bad input] --forget or --model naming a missing file or folder → exit 3, naming it', async () => {
    const run = await cli([...base, '--forget', 'nope.npy', '--out', 'o'], ws.dir);
    expect(run.code).toBe(3);
    expect(run.stderr).toMatch(/--forget nope\.npy: no such file or folder/);
    const model = await cli(['forget', '--model', 'missing-model', '--forget', 'forget.npy', '--method', 'jit', '--backend', 'cpu', '--out', 'o'], ws.dir);
    expect(model.code).toBe(3);
    expect(model.stderr).toMatch(/No model at .*missing-model/);
  });

  it('[bad input] a truncated .npy, or a file that is not .npy at all → exit 3, saying what is wrong (bytes missing, no magic string)', async () => {
    const bytes = await readFile(join(ws.dir, 'forget.npy'));
    await writeFile(join(ws.dir, 'truncated.npy'), bytes.subarray(0, bytes.length - 10));
    await writeFile(join(ws.dir, 'garbage.npy'), 'not numpy at all');
    const truncated = await cli([...base, '--forget', 'truncated.npy', '--out', 'o'], ws.dir);
    expect(truncated.code).toBe(3);
    expect(truncated.stderr).toMatch(/truncated\.npy is not a valid \.npy file: .*needs 960 data bytes but the file has 950/);
    const garbage = await cli([...base, '--forget', 'garbage.npy', '--out', 'o'], ws.dir);
    expect(garbage.code).toBe(3);
    expect(garbage.stderr).toMatch(/garbage\.npy is not a valid \.npy file: .*magic/);
  });

  it('[bad input] data whose samples do not fit the model\'s input → exit 3, with the expected and actual shapes', async () => {
    await writeFile(join(ws.dir, 'wide.json'), JSON.stringify([[1, 2, 3, 4, 5, 6, 7, 8, 9, 10]]));
    const run = await cli([...base, '--forget', 'wide.json', '--out', 'o'], ws.dir);
    expect(run.code).toBe(3);
    expect(run.stderr).toMatch(/--forget wide\.json has sample shape \[10\] but the model expects \[8\] \(full shape given: \[1, 10\]\)/);
  });

  it('[bad input] a --labels file with more labels than --forget has samples → exit 3, naming both counts', async () => {
    const run = await cli([...base, '--forget', 'forget.npy', '--labels', 'train-labels.json', '--out', 'o'], ws.dir);
    expect(run.code).toBe(3);
    expect(run.stderr).toMatch(/--labels train-labels\.json has 90 labels but --forget forget\.npy has 30 samples/);
  });

  it('[bad input] --method ssd without --labels, --train-labels or --train → exit 3, naming the flag to add', async () => {
    const forgetLabels = await cli(
      ['forget', '--model', 'model', '--forget', 'forget.npy', '--train', 'train.json', '--train-labels', 'train-labels.json', '--method', 'ssd', '--backend', 'cpu', '--out', 'o'],
      ws.dir,
    );
    expect(forgetLabels.code).toBe(3);
    expect(forgetLabels.stderr).toMatch(/ssd needs labels for forget\.npy: pass --labels <file>/);
    const trainLabels = await cli(
      ['forget', '--model', 'model', '--forget', 'forget.npy', '--labels', 'forget-labels.npy', '--train', 'train.json', '--method', 'ssd', '--backend', 'cpu', '--out', 'o'],
      ws.dir,
    );
    expect(trainLabels.code).toBe(3);
    expect(trainLabels.stderr).toMatch(/pass --train-labels <file>/);
    const noTrain = await cli(['forget', '--model', 'model', '--forget', 'forget.npy', '--labels', 'forget-labels.npy', '--method', 'ssd', '--backend', 'cpu', '--out', 'o'], ws.dir);
    expect(noTrain.code).toBe(3);
    expect(noTrain.stderr).toMatch(/ssd needs the full training set: pass --train <file> --train-labels <file>, or --importances <dir>/);
  });

  it('[bad input] the SSD guard set without held-out data → exit 3, naming --eval-data and --eval-labels', async () => {
    const run = await cli(
      ['forget', '--model', 'model', '--forget', 'forget.npy', '--labels', 'forget-labels.npy', '--train', 'train.json', '--train-labels', 'train-labels.json',
        '--method', 'ssd', '--set', 'guard.maxAccuracyDrop=0.1', '--set', 'guard.action=refuse', '--backend', 'cpu', '--out', 'o'],
      ws.dir,
    );
    expect(run.code).toBe(3);
    expect(run.stderr).toMatch(/guard.*: pass --eval-data <file> --eval-labels <file>/);
  });

  it('[bad input] an unknown --method → exit 2, listing the registered methods', async () => {
    const run = await cli([...base.slice(0, 5), '--method', 'unicorn', '--forget', 'forget.npy', '--backend', 'cpu', '--out', 'o'], ws.dir);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/Unknown unlearning method "unicorn"\. Registered: .*jit.*ssd/);
  });

  it('[bad input] a bad method option (--set lr=-1) → exit 2, code INVALID_OPTION with --json', async () => {
    const run = await cli([...base, '--forget', 'forget.npy', '--set', 'lr=-1', '--out', 'o', '--json'], ws.dir);
    expect(run.code).toBe(2);
    expect(run.json()).toMatchObject({ ok: false, exitCode: 2, error: { code: 'INVALID_OPTION' } });
  });

  it('[bad input] each bad-input failure of unlearn forget above (missing file, corrupt .npy, wrong shape, bad labels, unknown method, bad option) → no output and no temporary folder left behind', async () => {
    expect((await entries(ws.dir)).filter((n) => n === 'o' || n.startsWith('.o.'))).toEqual([]);
  });
});

describe('unlearn forget: aborts and refusals', () => {
  it('[fault] an abort during unlearn forget → exit 4, "aborted" on stderr; no output folder', async () => {
    const controller = new AbortController();
    registerUnlearner(
      'test-interrupted',
      () =>
        defineUnlearner({
          name: 'test-interrupted',
          options: {},
          needs: {},
          async unlearn(ctx) {
            ctx.model.trainable[0]!.variable.assign(tf.zerosLike(ctx.model.trainable[0]!.variable));
            controller.abort(new Error('interrupted (SIGINT)'));
            ctx.throwIfAborted();
          },
        }),
      { source: 'test' },
    );
    try {
      const run = await cli(
        ['forget', '--model', 'model', '--forget', 'forget.npy', '--method', 'test-interrupted', '--backend', 'cpu', '--out', 'o-abort'],
        ws.dir,
        { signal: controller.signal },
      );
      expect(run.code).toBe(4);
      expect(run.stderr).toMatch(/aborted: interrupted \(SIGINT\)/);
      expect((await entries(ws.dir)).filter((n) => n.includes('o-abort'))).toEqual([]);
    } finally {
      unregisterUnlearner('test-interrupted');
    }
  });

  it('[fault] Ctrl-C (SIGINT) to the unlearn binary during training → exit 4, "aborted" on stderr; no output folder', async () => {
    const pkg = fileURLToPath(new URL('..', import.meta.url));
    const child = spawn(
      process.execPath,
      ['--conditions=@unlearn/source', '--import', 'tsx', 'src/bin.ts', 'forget', '--model', join(ws.dir, 'model'), '--forget', join(ws.dir, 'forget.npy'),
        '--retain', join(ws.dir, 'retain.npy'), '--retain-labels', join(ws.dir, 'retain-labels.npy'), '--method', 'retrain', '--set', 'epochs=100000',
        '--set', 'batchSize=8', '--backend', 'cpu', '--out', join(ws.dir, 'o-sigint')],
      { cwd: pkg, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      if (stderr.includes('unlearning with retrain')) setTimeout(() => child.kill('SIGINT'), 300);
    });
    const code = await new Promise<number | null>((done) => child.on('exit', (c) => done(c)));
    expect(stderr).toMatch(/error: The unlearning run was aborted: interrupted \(SIGINT\)/);
    expect(code).toBe(4);
    expect((await entries(ws.dir)).filter((n) => n.includes('o-sigint'))).toEqual([]);
  });

  it('[fault] the SSD guard tripped in unlearn forget (accuracy drop over --set guard.maxAccuracyDrop, action refuse) → exit 5; no output folder', async () => {
    // A forget set of several classes (the retain split), so the guard counts every class, and a
    // limit of 0 points: the dampening's small cost on the test split trips it.
    const run = await cli(
      ['forget', '--model', 'model', '--forget', 'retain.npy', '--labels', 'retain-labels.npy', '--train', 'train.json', '--train-labels', 'train-labels.json',
        '--eval-data', 'test.json', '--eval-labels', 'test-labels.json', '--method', 'ssd', '--set', 'alpha=1', '--set', 'batchSize=16',
        '--set', 'guard.maxAccuracyDrop=0', '--set', 'guard.action=refuse', '--backend', 'cpu', '--out', 'o-guard'],
      ws.dir,
    );
    expect(run.code).toBe(5);
    expect(run.stderr).toMatch(/error: ssd: validation accuracy fell from \d+\.\d% to \d+\.\d% .*limit 0\.0\)/);
    expect((await entries(ws.dir)).filter((n) => n.includes('o-guard'))).toEqual([]);
  });

  it('[fault] a method that throws an unexpected error (TypeError) → exit 1 with its message', async () => {
    registerUnlearner('test-broken', () => defineUnlearner({ name: 'test-broken', options: {}, needs: {}, async unlearn() { throw new TypeError('boom'); } }));
    try {
      const run = await cli(['forget', '--model', 'model', '--forget', 'forget.npy', '--method', 'test-broken', '--backend', 'cpu', '--out', 'o-broken'], ws.dir);
      expect(run.code).toBe(1);
      expect(run.stderr).toMatch(/error: boom/);
    } finally {
      unregisterUnlearner('test-broken');
    }
  });
});
