import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fileInsideFolder } from '../src/node/index.js';

let root = '';
let viaLink = '';
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'unlearn-inside-'));
  await mkdir(join(root, 'real', 'sub'), { recursive: true });
  await writeFile(join(root, 'real', 'model.json'), '{}');
  await writeFile(join(root, 'secret.bin'), 'x');
  // The folder as a user may reach it: through a link (a mounted or shared path).
  viaLink = join(root, 'link');
  await symlink(join(root, 'real'), viaLink);
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('fileInsideFolder in a folder reached through a link', () => {
  it('returns a missing file (and one in a missing subfolder) inside it, for the read to report as missing', async () => {
    await expect(fileInsideFolder(viaLink, 'weights.bin', 'test')).resolves.toBe(join(viaLink, 'weights.bin'));
    await expect(fileInsideFolder(viaLink, 'sub/gone/weights.bin', 'test')).resolves.toBe(join(viaLink, 'sub', 'gone', 'weights.bin'));
    await expect(fileInsideFolder(viaLink, 'model.json', 'test')).resolves.toBe(join(viaLink, 'model.json'));
  });

  it('still refuses a path out of it, whether or not the file exists', async () => {
    for (const path of ['../secret.bin', '../missing.bin', 'sub/../../missing/x.bin']) {
      await expect(fileInsideFolder(viaLink, path, 'test'), path).rejects.toThrow(/points outside its folder/);
    }
  });
});
