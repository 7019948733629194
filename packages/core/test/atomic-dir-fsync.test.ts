import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterEach, beforeEach, expect, it, vi } from 'vitest';
import { writeDirAtomically } from '../src/node/index.js';

// Every fsync and rename the write makes, in order, with the stamps taken out of the names.
const log: string[] = [];
let root = '';
const name = (p: unknown) => relative(root, String(p)).replace(/\.(tmp|old)-\d+-\d+-[0-9a-z]+/, '.$1') || '.';

vi.mock('node:fs/promises', async (importOriginal) => {
  const fs = await importOriginal<typeof import('node:fs/promises')>();
  const open: typeof fs.open = async (path, ...rest) => {
    const handle = await fs.open(path, ...rest);
    const sync = handle.sync.bind(handle);
    handle.sync = async () => {
      log.push(`sync ${name(path)}`);
      return sync();
    };
    return handle;
  };
  const rename: typeof fs.rename = async (from, to) => {
    log.push(`rename ${name(from)} -> ${name(to)}`);
    return fs.rename(from, to);
  };
  return { ...fs, open, rename, default: { ...fs, open, rename } };
});

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'unlearn-fsync-'));
  log.length = 0;
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

it('[fault] a folder replacement, its fsync and rename calls logged (the order a power cut relies on; no power cut is simulated) → every new file and folder is fsynced before the renames, the parent folder after them', async () => {
  const out = join(root, 'out');
  await mkdir(out);
  await writeFile(join(out, 'a.txt'), 'old');
  await writeDirAtomically(out, async (tmp) => {
    await writeFile(join(tmp, 'a.txt'), 'new');
    await mkdir(join(tmp, 'sub'));
    await writeFile(join(tmp, 'sub', 'b.txt'), 'new');
  });
  const firstRename = log.findIndex((l) => l.startsWith('rename'));
  // Within a folder the order follows readdir; what matters is that all of it precedes the swap.
  expect(log.slice(0, firstRename).sort()).toEqual(['sync .out.tmp', 'sync .out.tmp/a.txt', 'sync .out.tmp/sub', 'sync .out.tmp/sub/b.txt']);
  expect(log.slice(firstRename - 1)).toEqual(['sync .out.tmp', 'rename out -> .out.old', 'rename .out.tmp -> out', 'sync .']);
});
