import { execFile } from 'node:child_process';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { removeDir, tempDir } from './helpers.js';

const run = promisify(execFile);
const cliDir = fileURLToPath(new URL('..', import.meta.url));

// Node 20.0 to 20.5 (which `engines` allows) has no import.meta.resolve without a flag. A load hook
// takes it out of every bin/unlearn.js module, so this Node runs the bin as those versions would.
const HOOKS = `
export async function load(url, context, nextLoad) {
  const result = await nextLoad(url, context);
  if (!url.endsWith('/bin/unlearn.js')) return result;
  const source = String(result.source).replace(/^#!.*/, '');
  return { ...result, source: 'delete import.meta.resolve;\\n' + source };
}
`;

let dir = '';
let preload = '';
beforeAll(async () => {
  dir = await tempDir('unlearn-bin-node20-');
  await writeFile(join(dir, 'hooks.mjs'), HOOKS);
  preload = join(dir, 'register.mjs');
  await writeFile(preload, `import { register } from 'node:module';\nregister(${JSON.stringify(pathToFileURL(join(dir, 'hooks.mjs')).href)});\n`);
});
afterAll(async () => {
  await removeDir(dir);
});

const node = (args: string[], cwd: string) => run(process.execPath, ['--import', pathToFileURL(preload).href, ...args], { cwd, timeout: 60_000 });

describe('bin/unlearn.js on a Node without import.meta.resolve', () => {
  it('the hook does take import.meta.resolve away', async () => {
    await mkdir(join(dir, 'bin'));
    await writeFile(join(dir, 'bin', 'unlearn.js'), '#!/usr/bin/env node\nconsole.log(typeof import.meta.resolve);\n');
    expect((await node(['bin/unlearn.js'], dir)).stdout.trim()).toBe('undefined');
  });

  it('runs the checkout\'s sources (unlearn --version)', async () => {
    const { version } = JSON.parse(await readFile(join(cliDir, 'package.json'), 'utf8')) as { version: string };
    const { stdout } = await node(['bin/unlearn.js', '--version'], cliDir);
    expect(stdout.trim()).toBe(version);
  });
});
