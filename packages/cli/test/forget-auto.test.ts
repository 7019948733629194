import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { hashWeights, toModelAdapter } from '@unlearn/core';
import { loadModel } from '@unlearn/core/node';
import { describe, expect, it } from 'vitest';
import type { DeletionRecord } from '../src/index.js';
import { cli, entries, SSD_INPUTS, useWorkspace } from './helpers.js';

const workspace = useWorkspace();

/** SSD in auto mode on the workspace (class 0 is the deletion request); the test split guards the kept classes. */
const autoArgs = (out: string, extra: string[] = []) => [
  'forget',
  ...SSD_INPUTS,
  '--validation', 'test.json',
  '--validation-labels', 'test-labels.json',
  '--method', 'ssd',
  '--set', 'batchSize=16',
  '--auto',
  '--backend', 'cpu',
  '--out', out,
  ...extra,
];

describe('unlearn forget --auto', () => {
  it('searches alpha, writes the chosen model and a record with every trial, and leaves the input model as it was', async () => {
    const modelHash = await hashWeights(toModelAdapter(workspace().model));
    const run = await cli(autoArgs('out-auto', ['--max-retain-drop', '10', '--target-forget-acc', '50%']), workspace().dir);
    const record = JSON.parse(await readFile(join(workspace().dir, 'out-auto', 'deletion-record.json'), 'utf8')) as DeletionRecord;
    const auto = record.auto!;
    expect(run.code, run.stderr).toBe(0);
    expect(auto.option).toBe('alpha');
    expect(auto.target).toMatchObject({ forgetAccuracy: 0.5, source: 'given', against: 'labels' });
    expect(auto.guard).toMatchObject({ maxRetainDrop: 0.1, excludedClasses: [0] });
    expect(auto.satisfied).toBe(true);
    expect(auto.trials[0]!.strength).toBe(64);
    const chosen = auto.trials[auto.chosen!]!;
    expect(chosen.forgetAccuracy).toBeLessThanOrEqual(0.5);
    expect(record.method.options).toMatchObject({ alpha: chosen.strength });
    // The written model is the chosen trial, and its recorded evidence agrees with the search.
    expect(record.evidence.forgetAccuracy!.after).toBeCloseTo(chosen.forgetAccuracy!, 6);
    const loaded = await loadModel(join(workspace().dir, 'out-auto'));
    expect(await hashWeights(toModelAdapter(loaded))).toBe(record.model.after.weightsSha256);
    loaded.dispose();
    expect(await hashWeights(toModelAdapter(workspace().model))).toBe(modelHash);
    const md = await readFile(join(workspace().dir, 'out-auto', 'deletion-record.md'), 'utf8');
    expect(md).toMatch(/## Auto mode\n\n\*\*Target met\.\*\*/);
    expect(md).toContain('(chosen)');
    expect(run.stdout).toMatch(/auto: target met/);
  });

  it('refuses (exit 5) and writes nothing when no trial meets the target, unless --allow-partial', async () => {
    const strict = ['--target-forget-acc', '0', '--max-retain-drop', '0', '--budget', '3'];
    const refused = await cli(autoArgs('out-refused', strict), workspace().dir);
    expect(refused.code).toBe(5);
    expect(refused.stderr).toMatch(/ssd --auto: no trial of 3 met forget accuracy <= 0\.0%/);
    expect(refused.stderr).toMatch(/\| 1 .*\| 64\.00 \|/);
    expect(await entries(workspace().dir)).not.toContain('out-refused');

    const partial = await cli(autoArgs('out-partial', [...strict, '--allow-partial']), workspace().dir);
    expect(partial.code, partial.stderr).toBe(0);
    expect(partial.stderr).toMatch(/written because of --allow-partial/);
    const record = JSON.parse(await readFile(join(workspace().dir, 'out-partial', 'deletion-record.json'), 'utf8')) as DeletionRecord;
    expect(record.auto!.satisfied).toBe(false);
    expect(await readFile(join(workspace().dir, 'out-partial', 'deletion-record.md'), 'utf8')).toMatch(/\*\*PARTIAL: the target was not met\.\*\*/);
  });

  it('rejects auto flags without --auto, --auto for a method without a strength, and a percentage out of range', async () => {
    const stray = await cli(['forget', '--model', 'model', '--forget', 'forget.npy', '--method', 'jit', '--budget', '3', '--out', 'x'], workspace().dir);
    expect(stray.code).toBe(2);
    expect(stray.stderr).toMatch(/--budget only applies with --auto/);
    const noKnob = await cli(['forget', '--model', 'model', '--forget', 'forget.npy', '--retain', 'retain.npy', '--retain-labels', 'retain-labels.npy', '--method', 'retrain', '--auto', '--out', 'x'], workspace().dir);
    expect(noKnob.code).toBe(2);
    expect(noKnob.stderr).toMatch(/retrain declares no strength to search, so it has no --auto/);
    const bad = await cli(autoArgs('out-bad', ['--target-forget-acc', '150']), workspace().dir);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--target-forget-acc expects a percentage between 0 and 100/);
  });
});
