import { spawn } from 'node:child_process';
import { chmod, cp, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs-core';
import { UnlearnError } from '@unlearn/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ExitCode, exitCodeOf } from '../src/index.js';
import { cli, entries, npyBytes, SSD_INPUTS, useWorkspace } from './helpers.js';

// Each refusal is checked end to end: the exit code a script branches on, the message, and that
// nothing was written.
const workspace = useWorkspace();
let tensors: number;
beforeAll(() => {
  tensors = tf.memory().numTensors;
});
afterAll(() => {
  expect(tf.memory().numTensors).toBe(tensors);
});

const leftovers = async (dir: string, name: string) => (await entries(dir)).filter((n) => n.includes(name));

describe('unlearn forget refuses what it cannot do honestly', () => {
  it('tells bad input (NaN given: 3) from a method that diverged (5), neither an unexpected error', () => {
    expect(exitCodeOf(new UnlearnError('NON_FINITE', 'x'))).toBe(ExitCode.BAD_INPUT);
    expect(exitCodeOf(new UnlearnError('DIVERGED', 'x'))).toBe(ExitCode.REFUSED);
  });

  it('[bad input] a one-hot --labels file with a NaN, negative or infinite entry (unlearn forget --method ssd) → exit 3 naming the row; no output', async () => {
    const { dir } = workspace();
    const rows = Array.from({ length: 30 }, () => [1, 0, 0]);
    for (const [name, bad] of [['nan', [Number.NaN, 1, 0]], ['negative', [-1, 1, 1]], ['infinite', [Number.POSITIVE_INFINITY, 0, 0]]] as const) {
      rows[4] = [...bad];
      await writeFile(join(dir, `onehot-${name}.npy`), npyBytes('<f4', [30, 3], rows.flat()));
      const run = await cli(['forget', ...SSD_INPUTS.map((a) => (a === 'forget-labels.npy' ? `onehot-${name}.npy` : a)), '--method', 'ssd', '--backend', 'cpu', '--out', `o-onehot-${name}`], dir);
      expect(run.code, run.stderr).toBe(3);
      expect(run.stderr).toMatch(new RegExp(`--labels onehot-${name}\\.npy\\[4\\] is not a one-hot label`));
      expect(await leftovers(dir, `o-onehot-${name}`)).toEqual([]);
    }
  });

  it('[evidence] a guard option given to a method that has no guard (--method jit --set guard.maxAccuracyDrop=0.05) → refused (exit 2, INVALID_OPTION: unknown option "guard"); nothing written or recorded', async () => {
    const { dir } = workspace();
    const run = await cli(
      ['forget', '--model', 'model', '--forget', 'forget.npy', '--eval-data', 'test.json', '--eval-labels', 'test-labels.json', '--method', 'jit',
        '--set', 'guard.maxAccuracyDrop=0.05', '--set', 'guard.action=refuse', '--backend', 'cpu', '--out', 'o-jit-guard', '--json'],
      dir,
    );
    expect(run.code).toBe(2);
    expect(run.json()).toMatchObject({ ok: false, exitCode: 2, error: { code: 'INVALID_OPTION' } });
    expect(run.stdout).toMatch(/unknown option \\"guard\\"/);
    expect(await leftovers(dir, 'o-jit-guard')).toEqual([]);
  });

  it('[bad input] --seed 4294967296, 1.5, -1 or empty → exit 2 before the model is loaded', async () => {
    const { dir } = workspace();
    for (const seed of ['4294967296', '1.5', '-1', '']) {
      const run = await cli(['forget', '--model', 'model', '--forget', 'forget.npy', '--method', 'jit', '--backend', 'cpu', '--out', 'o-seed', '--seed', seed], dir);
      expect(run.code, seed).toBe(2);
      expect(run.stderr).toMatch(/--seed must be a non-negative integer no larger than 4294967295/);
      expect(run.stderr).not.toMatch(/loading model/);
    }
  });

  it('[bad input] NaN in the input model\'s weights.bin (unlearn forget) → exit 3, naming NaN or Infinity in the model\'s weights; no output', async () => {
    const { dir } = workspace();
    await cp(join(dir, 'model'), join(dir, 'model-nan'), { recursive: true });
    const weights = await readFile(join(dir, 'model-nan', 'weights.bin'));
    weights.writeFloatLE(Number.NaN, 0);
    await writeFile(join(dir, 'model-nan', 'weights.bin'), weights);
    const run = await cli(['forget', '--model', 'model-nan', '--forget', 'forget.npy', '--method', 'jit', '--backend', 'cpu', '--out', 'o-nan-model'], dir);
    expect(run.code, run.stderr).toBe(3);
    expect(run.stderr).toMatch(/model's weights contain NaN or Infinity/);
    expect(await leftovers(dir, 'o-nan-model')).toEqual([]);
  });

  it('[fault] a method update that becomes NaN (unlearn forget --method jit --set lr=1e38) → exit 5, code DIVERGED, like a guard\'s refusal; no output', async () => {
    const { dir } = workspace();
    const run = await cli(
      ['forget', '--model', 'model', '--forget', 'forget.npy', '--method', 'jit', '--set', 'lr=1e38', '--set', 'nSamples=2', '--backend', 'cpu', '--out', 'o-diverged', '--json'],
      dir,
    );
    expect(run.code, run.stdout).toBe(5);
    expect(run.json()).toMatchObject({ ok: false, exitCode: 5, error: { code: 'DIVERGED' } });
    expect(await leftovers(dir, 'o-diverged')).toEqual([]);
  });

  it('[bad input] an importance cache whose tensors.bin holds a NaN (unlearn forget --importances) → exit 3, naming the variable; no output', async () => {
    const { dir } = workspace();
    const made = await cli(['importances', '--model', 'model', '--train', 'train.json', '--train-labels', 'train-labels.json', '--kind', 'fisher', '--batch-size', '16', '--backend', 'cpu', '--out', 'imp-nan'], dir);
    expect(made.code, made.stderr).toBe(0);
    const bin = await readFile(join(dir, 'imp-nan', 'tensors.bin'));
    bin.writeFloatLE(Number.NaN, 0);
    await writeFile(join(dir, 'imp-nan', 'tensors.bin'), bin);
    const run = await cli(
      ['forget', '--model', 'model', '--forget', 'forget.npy', '--labels', 'forget-labels.npy', '--importances', 'imp-nan', '--method', 'ssd', '--set', 'batchSize=16', '--backend', 'cpu', '--out', 'o-imp-nan'],
      dir,
    );
    expect(run.code, run.stderr).toBe(3);
    expect(run.stderr).toMatch(/cached importance 0 \(.+\) contains NaN or Infinity/);
    expect(await leftovers(dir, 'o-imp-nan')).toEqual([]);
  });
});

describe('unlearn forget checks that --out can be written before any work', () => {
  it('[bad input] an --out path running through a file (notes.txt/out) → exit 2 saying that notes.txt is a file, not a raw ENOTDIR', async () => {
    const { dir } = workspace();
    await writeFile(join(dir, 'notes.txt'), 'not a folder');
    const run = await cli(['forget', '--model', 'model', '--forget', 'forget.npy', '--method', 'jit', '--backend', 'cpu', '--out', 'notes.txt/out'], dir);
    expect(run.code, run.stderr).toBe(2);
    expect(run.stderr).toMatch(/--out notes\.txt\/out: .*notes\.txt is a file, not a folder/);
  });

  it('creates missing parent folders of --out', async () => {
    const { dir } = workspace();
    const run = await cli(['forget', '--model', 'model', '--forget', 'forget.npy', '--method', 'jit', '--set', 'nSamples=2', '--backend', 'cpu', '--out', 'new/deeper/out'], dir);
    expect(run.code, run.stderr).toBe(0);
    expect(await entries(join(dir, 'new', 'deeper', 'out'))).toContain('deletion-record.json');
  });

  it('[fault] --out inside a folder the user may not write in → exit 2 (cannot write in …, EACCES) before the model is loaded; nothing written there', async () => {
    const { dir } = workspace();
    const locked = join(dir, 'locked');
    await mkdir(locked);
    await chmod(locked, 0o555);
    const args = ['forget', '--model', join(dir, 'model'), '--forget', join(dir, 'forget.npy'), '--method', 'jit', '--backend', 'cpu', '--out', join(locked, 'out')];
    let code: number | null;
    let stderr: string;
    if (process.getuid?.() === 0) {
      // root may write anywhere: run the real binary as an unprivileged user instead.
      await chmod(dir, 0o755);
      const pkg = fileURLToPath(new URL('..', import.meta.url));
      const child = spawn(process.execPath, ['--conditions=@unlearn/source', '--import', 'tsx', 'src/bin.ts', ...args], {
        cwd: pkg,
        uid: 65534,
        gid: 65534,
        env: { ...process.env, HOME: dir },
        stdio: ['ignore', 'ignore', 'pipe'],
      });
      let err = '';
      child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
      code = await new Promise<number | null>((done) => child.on('exit', (c) => done(c)));
      stderr = err;
    } else {
      const run = await cli(args, dir);
      code = run.code;
      stderr = run.stderr;
    }
    expect(stderr).toMatch(/--out .*locked\/out: cannot write in .*locked \(EACCES/);
    expect(stderr).not.toMatch(/loading model/);
    expect(code).toBe(2);
    await chmod(locked, 0o755);
    expect(await entries(locked)).toEqual([]);
  });
});
