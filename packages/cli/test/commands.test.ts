import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import type { DeletionRecord } from '../src/index.js';
import { cli, entries, useWorkspace } from './helpers.js';

const workspace = useWorkspace();

describe('unlearn importances + forget --importances', () => {
  it('caches Fisher importances once and gives SSD the same result as computing them in the run', async () => {
    const imp = await cli(
      ['importances', '--model', 'model', '--train', 'train.json', '--train-labels', 'train-labels.json', '--kind', 'fisher', '--batch-size', '16', '--threads', '1', '--backend', 'cpu', '--out', 'imp', '--json'],
      workspace().dir,
    );
    expect(imp.code).toBe(0);
    expect(imp.json()).toMatchObject({ ok: true, kind: 'fisher', batchSize: 16, samples: 90, variables: 4 });
    expect(await entries(join(workspace().dir, 'imp'))).toEqual(['manifest.json', 'tensors.bin']);

    const common = ['forget', '--model', 'model', '--forget', 'forget.npy', '--labels', 'forget-labels.npy', '--method', 'ssd', '--set', 'alpha=1', '--set', 'batchSize=16', '--backend', 'cpu'];
    const cached = await cli([...common, '--importances', 'imp', '--out', 'out-cached'], workspace().dir);
    expect(cached.code).toBe(0);
    const direct = await cli([...common, '--train', 'train.json', '--train-labels', 'train-labels.json', '--out', 'out-direct'], workspace().dir);
    expect(direct.code).toBe(0);
    const read = async (d: string) => JSON.parse(await readFile(join(workspace().dir, d, 'deletion-record.json'), 'utf8')) as DeletionRecord;
    const [a, b] = [await read('out-cached'), await read('out-direct')];
    expect(a.model.after.weightsSha256).toBe(b.model.after.weightsSha256);
    expect(a.request.importances!.files.map((f) => f.path)).toEqual(['manifest.json', 'tensors.bin']);
    expect(a.request.train).toBeUndefined();
  });

  it('[bad input] --importances computed with another batch size; Fisher importances without --train-labels → exit 3, saying which and what to pass; an unknown --kind or the former --workers exit 2; nothing written', async () => {
    const run = await cli(
      ['forget', '--model', 'model', '--forget', 'forget.npy', '--labels', 'forget-labels.npy', '--method', 'ssd', '--importances', 'imp', '--backend', 'cpu', '--out', 'o'],
      workspace().dir,
    );
    expect(run.code).toBe(3);
    expect(run.stderr).toMatch(/batch size 16 but this run uses batchSize 64/);
    const noLabels = await cli(['importances', '--model', 'model', '--train', 'train.json', '--kind', 'fisher', '--backend', 'cpu', '--out', 'imp2'], workspace().dir);
    expect(noLabels.code).toBe(3);
    expect(noLabels.stderr).toMatch(/pass --train-labels <file>, or use --kind loss-free/);
    const badKind = await cli(['importances', '--model', 'model', '--train', 'train.json', '--kind', 'magic', '--out', 'imp2'], workspace().dir);
    expect(badKind.code).toBe(2);
    const renamed = await cli(['importances', '--model', 'model', '--train', 'train.json', '--kind', 'loss-free', '--workers', '2', '--out', 'imp2'], workspace().dir);
    expect(renamed.code).toBe(2);
    expect(renamed.stderr).toMatch(/--workers is now called --threads/);
    expect(await entries(workspace().dir)).not.toContain('imp2');
  });
});

describe('unlearn eval', () => {
  it('measures a full-class scenario with test accuracies and MIA', async () => {
    const run = await cli(
      ['eval', '--model', 'model', '--data', 'train.json', '--labels', 'train-labels.json', '--test', 'test.json', '--test-labels', 'test-labels.json', '--scenario', 'full-class:0', '--backend', 'cpu', '--json'],
      workspace().dir,
    );
    expect(run.code).toBe(0);
    const r = run.json<{ scenario: string; sizes: Record<string, number>; metrics: Record<string, number> }>();
    expect(r.scenario).toBe('full-class(0)');
    expect(r.sizes).toEqual({ forgetTrain: 30, retainTrain: 60, forgetTest: 20, retainTest: 40, test: 60 });
    expect(r.metrics.forgetTrainAcc).toBeGreaterThan(0.9);
    for (const k of ['retainTrainAcc', 'forgetTestAcc', 'retainTestAcc', 'testAcc', 'mia']) {
      expect(r.metrics[k]).toBeGreaterThanOrEqual(0);
      expect(r.metrics[k]).toBeLessThanOrEqual(1);
    }
  });

  it('shows the drop after retraining without class 0, and works without a test set', async () => {
    const forget = await cli(
      ['forget', '--model', 'model', '--forget', 'forget.npy', '--retain', 'retain.npy', '--retain-labels', 'retain-labels.npy', '--method', 'retrain', '--set', 'epochs=10', '--set', 'batchSize=16', '--backend', 'cpu', '--out', 'retrained'],
      workspace().dir,
    );
    expect(forget.code).toBe(0);
    const run = await cli(['eval', '--model', 'retrained', '--data', 'train.json', '--labels', 'train-labels.json', '--scenario', 'full-class:0', '--backend', 'cpu'], workspace().dir);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/forget train accuracy\s+0\.00%/);
    expect(run.stdout).toMatch(/splits: forgetTrain 30, retainTrain 60/);
  });

  it('rejects a malformed scenario as a usage error', async () => {
    const run = await cli(['eval', '--model', 'model', '--data', 'train.json', '--labels', 'train-labels.json', '--scenario', 'class:0'], workspace().dir);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/--scenario "class:0" is not one of full-class:<class>, random:<count>/);
  });
});

describe('unlearn bench', () => {
  it('writes JSON, Markdown and HTML reports with a retrained reference', async () => {
    const before = tf.memory().numTensors;
    const run = await cli(
      ['bench', '--model', 'model', '--data', 'train.json', '--labels', 'train-labels.json', '--test', 'test.json', '--test-labels', 'test-labels.json',
        '--scenario', 'full-class:0', '--methods', 'ssd', '--set', 'ssd.alpha=1', '--set', 'ssd.batchSize=16', '--set', 'retrain.epochs=5', '--set', 'retrain.batchSize=16',
        '--backend', 'cpu', '--out', 'bench', '--json'],
      workspace().dir,
    );
    expect(run.stderr).not.toMatch(/error/);
    expect(run.code).toBe(0);
    expect(await entries(join(workspace().dir, 'bench'))).toEqual(['report.html', 'report.json', 'report.md']);
    const report = JSON.parse(await readFile(join(workspace().dir, 'bench', 'report.json'), 'utf8')) as {
      scenarios: { rows: { name: string; role: string; options?: Record<string, unknown> }[] }[];
    };
    const rows = report.scenarios[0]!.rows;
    expect(rows.map((r) => r.role)).toEqual(['original', 'reference', 'method']);
    expect(rows[2]).toMatchObject({ name: 'ssd', options: { alpha: 1, batchSize: 16 } });
    expect(await readFile(join(workspace().dir, 'bench', 'report.md'), 'utf8')).toMatch(/ssd/);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('refuses unknown methods before any work', async () => {
    const run = await cli(
      ['bench', '--model', 'model', '--data', 'train.json', '--labels', 'train-labels.json', '--test', 'test.json', '--test-labels', 'test-labels.json', '--scenario', 'random:5', '--methods', 'ssd,unicorn', '--out', 'b2'],
      workspace().dir,
    );
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/Unknown unlearning method "unicorn"/);
    expect(await entries(workspace().dir)).not.toContain('b2');
  });
});
