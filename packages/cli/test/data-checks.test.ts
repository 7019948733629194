import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { UnlearnError, type ModelAdapter } from '@unlearn/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { translateCoreError } from '../src/commands/forget-checks.js';
import { loadSplit } from '../src/data.js';
import { CliError } from '../src/exit-codes.js';
import { npyBytes, removeDir, tempDir } from './helpers.js';

describe('translateCoreError: the flag to pass, by code and split', () => {
  it('[bad input] a core MISSING_LABELS or MISSING_DATA, whatever its message says → the flag that supplies its split (--labels, --retain-labels, --train-labels, --retain, --train, --eval-data); other errors unchanged', () => {
    const cases: [UnlearnError, string][] = [
      [new UnlearnError('MISSING_LABELS', 'reworded', { split: 'forget', field: 'y' }), '--labels <file>'],
      [new UnlearnError('MISSING_LABELS', 'reworded', { split: 'retain', field: 'y' }), '--retain-labels <file>'],
      [new UnlearnError('MISSING_LABELS', 'reworded', { split: 'train', field: 'y' }), '--train-labels <file>'],
      [new UnlearnError('MISSING_LABELS', 'reworded', { split: 'validation', field: 'y' }), '--eval-data <file> --eval-labels <file>'],
      [new UnlearnError('MISSING_DATA', 'reworded', { split: 'retain', field: 'x' }), '--retain <file>'],
      // The message names another split: only the fields count.
      [new UnlearnError('MISSING_DATA', 'needs the retain set (request.retain)', { split: 'train', field: 'x' }), '--train <file>'],
      [new UnlearnError('MISSING_DATA', 'reworded', { split: 'validation', field: 'x' }), '--eval-data <file> --eval-labels <file>'],
    ];
    for (const [error, flag] of cases) {
      const translated = translateCoreError(error);
      expect(translated, `${error.code} ${error.split}`).toBeInstanceOf(CliError);
      expect(translated).toMatchObject({ kind: 'bad-input', code: error.code, message: `${error.message}: pass ${flag}`, cause: error });
    }
    const unchanged = [
      new UnlearnError('MISSING_LABELS', 'needs labels on the forget set (forget.y)'),
      new UnlearnError('MISSING_DATA', 'm', { split: 'constructor', field: 'x' }),
      new UnlearnError('SHAPE_MISMATCH', 'm', { split: 'forget', field: 'x' }),
      new Error('not ours'),
    ];
    for (const error of unchanged) expect(translateCoreError(error)).toBe(error);
  });
});

describe('loadSplit applies core\'s data rules, naming the flag and the file', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await tempDir();
  });
  afterAll(() => removeDir(dir));
  const model = { inputShape: [2], numClasses: 3 } as unknown as ModelAdapter;
  const spec = (x: string, y?: string) => ({ role: 'retain', xFlag: '--retain', x, yFlag: '--retain-labels', ...(y ? { y } : {}) });

  it('[bad input] NaN in a data file, a fractional or out-of-range class in a labels file, a labels file of another length → NON_FINITE, LABEL_OUT_OF_RANGE or LABEL_COUNT_MISMATCH, located (split, field, index) and naming the file; no tensor leaked', async () => {
    await writeFile(join(dir, 'x.json'), JSON.stringify([[0, 1], [2, 3], [4, 5]]));
    await writeFile(join(dir, 'nan.npy'), npyBytes('<f4', [2, 2], [0, 1, 2, Number.NaN]));
    await writeFile(join(dir, 'half.json'), JSON.stringify([0, 1.5, 2]));
    await writeFile(join(dir, 'four.json'), JSON.stringify([0, 1, 4]));
    await writeFile(join(dir, 'short.json'), JSON.stringify([0, 1]));
    const before = tf.memory().numTensors;
    const failure = (x: string, y?: string) => loadSplit(model, spec(x, y), dir).then(() => expect.unreachable(), (e: unknown) => e as Error);

    const nan = await failure('nan.npy');
    expect(nan).toMatchObject({ code: 'NON_FINITE', split: 'retain', field: 'x', index: 1 });
    expect(nan.message).toMatch(/^--retain nan\.npy contains NaN or Infinity: sample 1 holds NaN/);
    const half = await failure('x.json', 'half.json');
    expect(half).toMatchObject({ code: 'LABEL_OUT_OF_RANGE', split: 'retain', field: 'y', index: 1 });
    expect(half.message).toMatch(/^--retain-labels half\.json\[1\] = 1\.5 is outside the model's classes \(0\.\.2\)/);
    const four = await failure('x.json', 'four.json');
    expect(four).toMatchObject({ code: 'LABEL_OUT_OF_RANGE', split: 'retain', field: 'y', index: 2 });
    const short = await failure('x.json', 'short.json');
    expect(short).toMatchObject({ code: 'LABEL_COUNT_MISMATCH', kind: 'bad-input' });
    expect(short.message).toMatch(/--retain-labels short\.json has 2 labels but --retain x\.json has 3 samples/);
    expect(tf.memory().numTensors).toBe(before);
  });
});
