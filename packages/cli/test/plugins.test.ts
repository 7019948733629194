import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { saveModel } from '@unlearn/core/node';
import { tinyClassifier } from '@unlearn/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DeletionRecord, MethodCatalog } from '../src/index.js';
import { cli, npyBytes, removeDir, tempDir } from './helpers.js';
import { pluginModule, writePackage } from './plugin-fixtures.js';

let project: string;
beforeAll(async () => {
  project = await tempDir('unlearn-plugins-');
  await writeFile(
    join(project, 'package.json'),
    JSON.stringify({ name: 'app', dependencies: { 'my-unlearn-plugin': '^1.0.0', 'not-a-plugin': '^1.0.0' }, devDependencies: { 'broken-plugin': '1.0.0' } }),
  );
  const pkg = (name: string, json: Record<string, unknown>, index: string) => writePackage(project, name, json, index);
  await pkg(
    'my-unlearn-plugin',
    { keywords: ['unlearn-plugin'], exports: { '.': { types: './dist/index.d.ts', import: './dist/index.js' }, './package.json': './package.json' } },
    pluginModule([{ name: 'test-keyword-plugin', description: 'Zeroes every weight' }]),
  );
  // Without the keyword it must never be imported: importing it would throw.
  await pkg('not-a-plugin', { main: './dist/index.js' }, "throw new Error('imported a package without the unlearn-plugin keyword');");
  await pkg('broken-plugin', { keywords: ['unlearn-plugin'], main: './dist/index.js' }, "throw new Error('plugin exploded');");
  await writeFile(join(project, 'local-plugin.mjs'), pluginModule([{ name: 'test-config-plugin', description: 'From unlearn.config.json' }]));
  await writeFile(join(project, 'unlearn.config.json'), JSON.stringify({ plugins: ['./local-plugin.mjs', 'missing-plugin'] }));
});
afterAll(async () => {
  await removeDir(project);
});

describe('unlearn methods', () => {
  it('lists first-party methods and the project plugins with their defaults', async () => {
    const run = await cli(['methods', '--json'], project);
    expect(run.code).toBe(0);
    const { methods, loads } = run.json<MethodCatalog>();
    const byName = Object.fromEntries(methods.map((m) => [m.name, m]));
    expect(byName['test-keyword-plugin']).toMatchObject({ description: 'Zeroes every weight', defaults: { scale: 0 } });
    expect(byName['test-config-plugin']).toMatchObject({ description: 'From unlearn.config.json' });
    for (const firstParty of ['jit', 'ssd', 'lf-ssd', 'retrain', 'finetune']) expect(byName[firstParty]?.defaults).toBeDefined();
    // What --auto would search, from each method's declared strength.
    expect(byName.ssd).toMatchObject({ auto: { option: 'alpha', weakest: 64, strongest: 1 } });
    expect(byName.jit).toMatchObject({ auto: { option: 'lr' } });
    expect(byName.retrain).not.toHaveProperty('auto');

    const status = Object.fromEntries(loads.map((l) => [l.specifier, l]));
    expect(status['my-unlearn-plugin']).toMatchObject({ from: 'keyword', ok: true, version: '1.2.3' });
    expect(status['./local-plugin.mjs']).toMatchObject({ from: 'config', ok: true });
    expect(status['broken-plugin']).toMatchObject({ from: 'keyword', ok: false, error: 'plugin exploded' });
    expect(status['missing-plugin']).toMatchObject({ from: 'config', ok: false });
    expect(status['not-a-plugin']).toBeUndefined();
  });

  it('prints a readable list, with the plugins that failed to load', async () => {
    const run = await cli(['methods'], project);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^jit {2}\(@unlearn\/jit\)$/m);
    expect(run.stdout).toMatch(/defaults: \{"scale":0\}/);
    expect(run.stdout).toMatch(/Could not load:\n(.*\n)*\s+broken-plugin \(keyword\): plugin exploded/);
  });

  it('runs a plugin method through forget and records its version', async () => {
    const model = tinyClassifier({ inputDim: 4, classes: 2, seed: 1 });
    await saveModel(model, join(project, 'model'));
    model.dispose();
    await writeFile(join(project, 'x.npy'), npyBytes('<f4', [2, 4], [1, 2, 3, 4, 5, 6, 7, 8]));
    const run = await cli(['forget', '--model', 'model', '--forget', 'x.npy', '--method', 'test-keyword-plugin', '--backend', 'cpu', '--out', 'out'], project);
    expect(run.code).toBe(0);
    expect(run.stderr).toMatch(/warning: plugin broken-plugin failed to load: plugin exploded/);
    expect(run.stderr).toMatch(/^loaded plugin my-unlearn-plugin@1\.2\.3 \(node_modules\/my-unlearn-plugin\/dist\/index\.js\)$/m);
    const record = JSON.parse(await readFile(join(project, 'out', 'deletion-record.json'), 'utf8')) as DeletionRecord;
    // The source is the package that was imported; the plugin claimed 'test-keyword-plugin-pkg'.
    expect(record.method).toMatchObject({ name: 'test-keyword-plugin', source: 'my-unlearn-plugin', details: { scaled: 4 } });
    expect(record.environment.packages['my-unlearn-plugin']).toBe('1.2.3');
    expect(record.plugins?.map((p) => p.name)).toEqual(['broken-plugin', 'my-unlearn-plugin', './local-plugin.mjs']);
    expect(record.evidence.parameters.changed).toBeGreaterThan(0);
  });

  it('names the unknown method, the registered ones and the plugins that failed', async () => {
    const run = await cli(['forget', '--model', 'model', '--forget', 'x.npy', '--method', 'nope', '--backend', 'cpu', '--out', 'o'], project);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/Unknown unlearning method "nope"\. Registered: .*test-config-plugin.*Could not load: .*broken-plugin \(plugin exploded\)/);
  });
});
