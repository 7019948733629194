import { createHash, randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { saveModel } from '@unlearn/core/node';
import { tinyClassifier } from '@unlearn/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DeletionRecord, MethodCatalog } from '../src/index.js';
import { cli, npyBytes, removeDir, tempDir } from './helpers.js';
import { pluginModule } from './plugin-fixtures.js';

// A package the CLI's own install can import but the project cannot: in packages/cli/node_modules.
const cliModules = fileURLToPath(new URL('../node_modules', import.meta.url));
const cliOnly = `unlearn-test-cli-only-${randomUUID().slice(0, 8)}`;
const cliOnlyDir = join(cliModules, cliOnly);
const cliOnlyMarker = join(cliOnlyDir, 'imported');

let project = '';
beforeAll(async () => {
  await mkdir(cliOnlyDir, { recursive: true });
  await writeFile(join(cliOnlyDir, 'package.json'), JSON.stringify({ name: cliOnly, version: '9.9.9', type: 'module', main: './index.js' }));
  await writeFile(join(cliOnlyDir, 'index.js'), pluginModule([{ name: 'test-cli-only' }], { marker: 'imported' }));

  project = await tempDir('unlearn-plugin-resolve-');
  await writeFile(join(project, 'package.json'), JSON.stringify({ name: 'app' }));
  // A subpath of a project package: not a package folder, resolved from the project root.
  await mkdir(join(project, 'node_modules', 'extras'), { recursive: true });
  await writeFile(join(project, 'node_modules', 'extras', 'package.json'), JSON.stringify({ name: 'extras', version: '1.0.0' }));
  await writeFile(join(project, 'node_modules', 'extras', 'plugin.mjs'), pluginModule([{ name: 'test-subpath-plugin' }]));
  await writeFile(join(project, 'unlearn.config.json'), JSON.stringify({ plugins: [cliOnly, 'extras/plugin.mjs', 'node:fs'] }));
  const model = tinyClassifier({ inputDim: 4, classes: 2, seed: 1 });
  await saveModel(model, join(project, 'model'));
  model.dispose();
  await writeFile(join(project, 'x.npy'), npyBytes('<f4', [2, 4], [1, 2, 3, 4, 5, 6, 7, 8]));
});
afterAll(async () => {
  await rm(cliOnlyDir, { recursive: true, force: true });
  await removeDir(project);
});

describe('plugin names in unlearn.config.json', () => {
  it('[security] a plugin name in unlearn.config.json that the project cannot resolve (only the CLI\'s own install can) → never imported; listed as failed with the reason', async () => {
    const run = await cli(['methods', '--json'], project);
    expect(run.code).toBe(0);
    const { methods, loads } = run.json<MethodCatalog>();
    expect(existsSync(cliOnlyMarker)).toBe(false);
    expect(methods.map((m) => m.name)).not.toContain('test-cli-only');
    expect(loads.find((l) => l.specifier === cliOnly)).toMatchObject({ ok: false, error: expect.stringMatching(/^not imported: not found from the project root .*\(MODULE_NOT_FOUND\)$/) });
    expect(loads.find((l) => l.specifier === 'node:fs')).toMatchObject({ ok: false, error: 'not imported: a Node.js built-in module, not a plugin file' });
    expect(methods.map((m) => m.name)).toContain('test-subpath-plugin');
  });

  it('[evidence] a run beside an unresolvable config plugin → that plugin\'s code never ran; the record lists every plugin imported, each with its file and SHA-256', async () => {
    const run = await cli(['forget', '--model', 'model', '--forget', 'x.npy', '--method', 'test-subpath-plugin', '--backend', 'cpu', '--out', 'out'], project);
    expect(run.code).toBe(0);
    expect(run.stderr).toMatch(new RegExp(`warning: plugin ${cliOnly} failed to load: not imported: not found from the project root`));
    expect(existsSync(cliOnlyMarker)).toBe(false);
    const record = JSON.parse(await readFile(join(project, 'out', 'deletion-record.json'), 'utf8')) as DeletionRecord;
    const file = join(project, 'node_modules', 'extras', 'plugin.mjs');
    expect(record.plugins).toEqual([
      { name: 'extras/plugin.mjs', entry: 'node_modules/extras/plugin.mjs', sha256: createHash('sha256').update(await readFile(file)).digest('hex'), methods: ['test-subpath-plugin'] },
    ]);
  });
});
