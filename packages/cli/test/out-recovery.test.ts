import { spawn } from 'node:child_process';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, entries, useWorkspace } from './helpers.js';

const workspace = useWorkspace();
const jit = (out: string, ...extra: string[]) =>
  cli(['forget', '--model', 'model', '--forget', 'forget.npy', '--method', 'jit', '--backend', 'cpu', '--out', out, ...extra], workspace().dir);
const recordId = async (out: string) => (JSON.parse(await readFile(join(workspace().dir, out, 'deletion-record.json'), 'utf8')) as { id: string }).id;
const named = async (out: string) => (await entries(workspace().dir)).filter((n) => n.replace(/^\./, '').startsWith(out));

/** A stamp as writeDirAtomically makes them, of a process that has exited (the killed run). */
async function deadStamp(): Promise<string> {
  const child = spawn(process.execPath, ['-e', '']);
  await new Promise((done) => child.on('exit', done));
  return `${child.pid}-${Date.now()}-k1ll3d`;
}

/** Leaves on disk what a kill between the two renames of a replacement of `out` leaves. */
async function killBetweenRenames(out: string): Promise<void> {
  const dir = workspace().dir;
  const stamp = await deadStamp();
  await rename(join(dir, out), join(dir, `.${out}.old-${stamp}`));
  await mkdir(join(dir, `.${out}.tmp-${stamp}`));
  await writeFile(join(dir, `.${out}.tmp-${stamp}`, 'model.json'), '{"modelTopo');
}

describe('--out after a run was killed while writing it', () => {
  it('[fault] a kill between the two renames of an --out --force replacement → the next run restores the earlier output and says so; it replaces it only with --force (exit 2 without); unrelated .o-swap.tmp-notes untouched', async () => {
    expect((await jit('o-swap')).code).toBe(0);
    const first = await recordId('o-swap');
    await killBetweenRenames('o-swap');
    await mkdir(join(workspace().dir, '.o-swap.tmp-notes'));
    expect(await named('o-swap')).not.toContain('o-swap');

    const again = await jit('o-swap');
    expect(again.stderr).toMatch(/warning: --out o-swap: restored the previous output from \.o-swap\.old-\d+-\d+-k1ll3d: an earlier run was killed while replacing it/);
    expect(again.stderr).toMatch(/warning: --out o-swap: removed \.o-swap\.tmp-\d+-\d+-k1ll3d, left beside it by an earlier run that was interrupted/);
    // Restored, the output was there all along: without --force it is not replaced.
    expect(again.stderr).toMatch(/--out o-swap already exists and is not empty; pass --force/);
    expect(again.code).toBe(2);
    expect(await recordId('o-swap')).toBe(first);
    expect(await named('o-swap')).toEqual(['.o-swap.tmp-notes', 'o-swap']);

    const forced = await jit('o-swap', '--force');
    expect(forced.code).toBe(0);
    expect(await recordId('o-swap')).not.toBe(first);
    expect(await named('o-swap')).toEqual(['.o-swap.tmp-notes', 'o-swap']);
  });

  it('[fault] stale .tmp-/.old- folders beside an --out, left by interrupted runs → removed by the next run (under its lock, even one stamped with a live pid) and named on stderr', async () => {
    expect((await jit('o-stale')).code).toBe(0);
    const dir = workspace().dir;
    const stale = [`.o-stale.tmp-${(await deadStamp())}`, `.o-stale.old-${process.ppid}-1-k1ll3d`];
    for (const name of stale) await mkdir(join(dir, name));
    const run = await jit('o-stale', '--force');
    expect(run.code).toBe(0);
    expect(run.stderr).toMatch(/warning: --out o-stale: removed \.o-stale\.(tmp|old)-.*, \.o-stale\.(tmp|old)-.*, left beside it by an earlier run/);
    expect(run.stderr).not.toMatch(/restored/);
    expect(await named('o-stale')).toEqual(['o-stale']);
  });

  it('[fault] a kill between the two renames of an importance cache replacement → the next unlearn importances restores the earlier cache and says so (exit 2 without --force)', async () => {
    const imp = (...extra: string[]) =>
      cli(['importances', '--model', 'model', '--train', 'train.json', '--kind', 'loss-free', '--batch-size', '30', '--backend', 'cpu', '--out', 'imp-k', ...extra], workspace().dir);
    expect((await imp()).code).toBe(0);
    const manifest = await readFile(join(workspace().dir, 'imp-k', 'manifest.json'), 'utf8');
    await killBetweenRenames('imp-k');
    const again = await imp();
    expect(again.stderr).toMatch(/--out imp-k: restored the previous output from \.imp-k\.old-/);
    expect(again.code).toBe(2);
    expect(await readFile(join(workspace().dir, 'imp-k', 'manifest.json'), 'utf8')).toBe(manifest);
    expect(await named('imp-k')).toEqual(['imp-k']);
  });
});
