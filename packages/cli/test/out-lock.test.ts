import { readdir, readFile, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { lockOutDir } from '../src/out-lock.js';
import { removeDir, tempDir } from './helpers.js';

// No process has pid 2^22 + 1 here (Linux caps pids at 2^22): a lock of it is stale.
const STALE = JSON.stringify({ tool: 'unlearn', pid: 2 ** 22 + 1, host: hostname(), startedAt: '2026-01-01T00:00:00Z' });

/**
 * With `late` set, the second run's removal of the lock (rm or rename of `<out>.lock`) waits until
 * the first run has taken the lock over, as when that run is descheduled between judging the lock
 * stale and removing it: the interleaving that lets two runs both take it over.
 */
const late = { on: false, removals: 0 };
vi.mock('node:fs/promises', async (importOriginal) => {
  const fs = await importOriginal<typeof import('node:fs/promises')>();
  const wait = async (path: unknown) => {
    if (!late.on || !String(path).endsWith('.lock') || late.removals++ !== 1) return;
    for (let i = 0; i < 200; i++) {
      if ((await fs.readFile(String(path), 'utf8').catch(() => STALE)) !== STALE) return;
      await new Promise((done) => setTimeout(done, 5));
    }
  };
  const rm: typeof fs.rm = async (path, options) => {
    await wait(path);
    return fs.rm(path, options);
  };
  const rename: typeof fs.rename = async (from, to) => {
    await wait(from);
    return fs.rename(from, to);
  };
  return { ...fs, rm, rename, default: { ...fs, rm, rename } };
});

let dir = '';
beforeAll(async () => {
  dir = await tempDir('unlearn-out-lock-');
});
afterAll(async () => {
  await removeDir(dir);
});

/** `takers` runs take `<dir>/<name>.lock`, a stale lock, at once; checks that one got it, and releases it. */
async function takeOverAtOnce(name: string, takers: number): Promise<void> {
  const out = join(dir, name);
  await writeFile(`${out}.lock`, STALE);
  const warnings: string[] = [];
  const settled = await Promise.allSettled(Array.from({ length: takers }, () => lockOutDir(out, name, (m) => warnings.push(m))));
  const won = settled.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
  expect(won, name).toHaveLength(1);
  for (const s of settled) {
    if (s.status === 'rejected') expect(String(s.reason), name).toMatch(/is being written by another unlearn run \(process \d+ on /);
  }
  expect(warnings, name).toEqual([expect.stringMatching(/taking over the lock of an earlier run \(pid 4194305/)]);
  expect(JSON.parse(await readFile(`${out}.lock`, 'utf8'))).toMatchObject({ pid: process.pid });
  await won[0]!();
}

describe('taking over a stale --out lock', () => {
  it('[data loss] two runs taking over the same stale <out>.lock, the second removing it only after the first took it → exactly one gets the lock, the other is refused naming the holder', async () => {
    late.on = true;
    late.removals = 0;
    try {
      await takeOverAtOnce('out-late', 2);
    } finally {
      late.on = false;
    }
    expect(await readdir(dir)).toEqual([]);
  });

  it('gives the lock to exactly one of several runs that find it stale at once, and leaves no moved-aside lock', async () => {
    for (let round = 0; round < 10; round++) await takeOverAtOnce(`out-${round}`, 4);
    expect(await readdir(dir)).toEqual([]);
  });
});
