import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { saveModel } from '@unlearn/core/node';
import { tinyClassifier } from '@unlearn/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DeletionRecord, MethodCatalog } from '../src/index.js';
import { cli, npyBytes, removeDir, SSD_INPUTS, tempDir, useWorkspace } from './helpers.js';
import { pluginModule, writePackage } from './plugin-fixtures.js';

const fileSha256 = async (path: string) => createHash('sha256').update(await readFile(path)).digest('hex');
const readRecord = async (dir: string) => JSON.parse(await readFile(join(dir, 'deletion-record.json'), 'utf8')) as DeletionRecord;

const dirs: string[] = [];
afterAll(async () => {
  for (const d of dirs) await removeDir(d);
});
async function scratch(): Promise<string> {
  const dir = await tempDir('unlearn-plugin-trust-');
  dirs.push(dir);
  return dir;
}

describe('where plugins are looked for', () => {
  it('[security] an unlearn.config.json in a folder above the project root (the nearest package.json) → ignored: its plugin is never imported nor listed', async () => {
    const outer = await scratch();
    await writeFile(join(outer, 'outer.mjs'), pluginModule([{ name: 'test-outer' }], { marker: 'outer-imported' }));
    await writeFile(join(outer, 'unlearn.config.json'), JSON.stringify({ plugins: ['./outer.mjs'] }));
    const project = join(outer, 'app');
    await mkdir(project);
    await writeFile(join(project, 'package.json'), JSON.stringify({ name: 'app' }));

    const run = await cli(['methods', '--json'], project);
    expect(run.code).toBe(0);
    const { methods, loads } = run.json<MethodCatalog>();
    expect(loads.map((l) => l.specifier)).not.toContain('./outer.mjs');
    expect(methods.map((m) => m.name)).not.toContain('test-outer');
    expect(existsSync(join(outer, 'outer-imported'))).toBe(false);
  });

  it("reads the project root's unlearn.config.json from a subfolder of the project", async () => {
    const project = await scratch();
    await writeFile(join(project, 'package.json'), JSON.stringify({ name: 'app' }));
    await writeFile(join(project, 'root.mjs'), pluginModule([{ name: 'test-root-config' }]));
    await writeFile(join(project, 'unlearn.config.json'), JSON.stringify({ plugins: ['./root.mjs'] }));
    await mkdir(join(project, 'src'));
    const run = await cli(['methods', '--json'], join(project, 'src'));
    expect(run.code).toBe(0);
    expect(run.json<MethodCatalog>().loads.find((l) => l.specifier === './root.mjs')).toMatchObject({ ok: true });
  });
});

describe('when plugin code runs', () => {
  let project: string;
  let markerEntry: string;
  const marker = () => join(project, 'node_modules', 'marker-plugin', 'dist', 'imported');
  beforeAll(async () => {
    project = await scratch();
    await writeFile(join(project, 'package.json'), JSON.stringify({ name: 'app', dependencies: { 'marker-plugin': '1.2.3' } }));
    markerEntry = await writePackage(
      project,
      'marker-plugin',
      { keywords: ['unlearn-plugin'], main: './dist/index.js' },
      pluginModule([{ name: 'test-marker' }], { marker: 'imported' }),
    );
    await writeFile(join(project, 'throws.mjs'), pluginModule([], { throws: 'throws.mjs was imported' }));
    await writeFile(join(project, 'unlearn.config.json'), JSON.stringify({ plugins: ['./throws.mjs'] }));
    const model = tinyClassifier({ inputDim: 4, classes: 2, seed: 1 });
    await saveModel(model, join(project, 'model'));
    model.dispose();
    await writeFile(join(project, 'x.npy'), npyBytes('<f4', [2, 4], [1, 2, 3, 4, 5, 6, 7, 8]));
  });
  const forget = (method: string, out: string, ...extra: string[]) =>
    cli(['forget', '--model', 'model', '--forget', 'x.npy', '--method', method, '--backend', 'cpu', '--out', out, ...extra], project);

  it('[security] unlearn forget with a first-party method in a project with plugins (one of which throws when imported) → no plugin imported (exit 0); the record says no plugin code was loaded', async () => {
    const run = await forget('jit', 'out-jit');
    expect(run.code).toBe(0);
    expect(existsSync(marker())).toBe(false);
    expect(run.stderr).not.toMatch(/throws\.mjs|plugin/);
    const record = await readRecord(join(project, 'out-jit'));
    expect(record.plugins).toEqual([]);
    expect(record.method.source).toBe('@unlearn/jit');
    expect(await readFile(join(project, 'out-jit', 'deletion-record.md'), 'utf8')).toMatch(/## Plugins\n\nNo plugin code was loaded\./);
  });

  it('[security] bad arguments for a plugin\'s method (--seed x, --allow-plugin-override of a name that is not first-party) → exit 2 before any plugin is imported', async () => {
    expect((await forget('test-marker', 'o1', '--seed', 'x')).code).toBe(2);
    const badOverride = await forget('test-marker', 'o2', '--allow-plugin-override', 'test-marker');
    expect(badOverride.code).toBe(2);
    expect(badOverride.stderr).toMatch(/--allow-plugin-override: "test-marker" is not a first-party method \(amnesiac, bad-teacher, finetune, jit, lf-ssd, neggrad-plus, retrain, salun, scrub, ssd, unsir\)/);
    expect(existsSync(marker())).toBe(false);
  });

  it('imports no plugin for a benchmark of first-party methods', async () => {
    const bench = (...extra: string[]) =>
      cli(['bench', '--model', 'model', '--data', 'x.npy', '--test', 'x.npy', '--scenario', 'random:1', '--no-retrain', '--backend', 'cpu', '--out', 'ob', ...extra], project);
    // It gets as far as reading the data (which has no labels) without importing a plugin.
    const run = await bench('--methods', 'jit,ssd');
    expect(run.code).toBe(3);
    expect(run.stderr).toMatch(/Benchmarks need labels/);
    expect((await bench('--methods', 'test-marker', '--allow-plugin-override', 'nope')).code).toBe(2);
    expect(existsSync(marker())).toBe(false);
  });

  it('imports them to list the methods, and says which it loaded', async () => {
    const run = await cli(['methods'], project);
    expect(run.code).toBe(0);
    expect(existsSync(marker())).toBe(true);
    expect(run.stderr).toMatch(/^loaded plugin marker-plugin@1\.2\.3 \(node_modules\/marker-plugin\/dist\/index\.js\)$/m);
    expect(run.stdout).toMatch(/^test-marker {2}\(test-marker-pkg\)$/m);
  });

  it('[evidence] a run of a plugin\'s method → the record names the plugin as the method\'s source and lists every plugin whose code ran (name, version, entry file, SHA-256), also one that failed to load', async () => {
    const run = await forget('test-marker', 'out-marker');
    expect(run.code).toBe(0);
    expect(run.stderr).toMatch(/^loaded plugin marker-plugin@1\.2\.3 /m);
    expect(run.stderr).toMatch(/warning: plugin \.\/throws\.mjs failed to load: throws\.mjs was imported/);
    const record = await readRecord(join(project, 'out-marker'));
    // The method's source is the plugin that registered it, not what the plugin claimed.
    expect(record.method).toMatchObject({ name: 'test-marker', source: 'marker-plugin', details: { ranPluginMethod: 'test-marker' } });
    expect(record.plugins).toEqual([
      { name: 'marker-plugin', version: '1.2.3', entry: 'node_modules/marker-plugin/dist/index.js', sha256: await fileSha256(markerEntry), methods: ['test-marker'] },
      { name: './throws.mjs', entry: 'throws.mjs', sha256: await fileSha256(join(project, 'throws.mjs')), methods: [], error: 'throws.mjs was imported' },
    ]);
    const md = await readFile(join(project, 'out-marker', 'deletion-record.md'), 'utf8');
    expect(md).toContain(`- **marker-plugin@1.2.3** \`node_modules/marker-plugin/dist/index.js\`: SHA-256 \`${record.plugins![0]!.sha256}\`; methods: test-marker`);
    expect(md).toContain('- **./throws.mjs** `throws.mjs`: SHA-256');
  });
});

describe('a plugin that registers a first-party name', () => {
  const ws = useWorkspace();
  const forgetSsd = (out: string, ...extra: string[]) => cli(['forget', ...SSD_INPUTS, '--method', 'ssd', '--backend', 'cpu', '--out', out, ...extra], ws().dir);
  beforeAll(async () => {
    const { dir } = ws();
    await writeFile(join(dir, 'package.json'), JSON.stringify({ name: 'ws' }));
    // It claims @unlearn/ssd as its source, which core's registry takes as a reload of the same package.
    await writeFile(
      join(dir, 'fake-ssd.mjs'),
      pluginModule([{ name: 'ssd', source: '@unlearn/ssd', description: 'FAKE ssd' }, { name: 'test-fake-other' }], { marker: 'fake-imported' }),
    );
    await writeFile(join(dir, 'unlearn.config.json'), JSON.stringify({ plugins: ['./fake-ssd.mjs'] }));
  });

  it('[security] a project plugin that registers the first-party name ssd, unlearn forget --method ssd → the first-party ssd runs without importing the plugin; the record lists no plugin', async () => {
    const run = await forgetSsd('out-1');
    expect(run.code).toBe(0);
    expect(existsSync(join(ws().dir, 'fake-imported'))).toBe(false);
    const record = await readRecord(join(ws().dir, 'out-1'));
    expect(record.method.details).not.toHaveProperty('ranPluginMethod');
    expect(record.plugins).toEqual([]);
  });

  it('[security] unlearn methods with a plugin that registers ssd (claiming @unlearn/ssd as its source) → the listing keeps the first-party ssd and warns that the override was refused', async () => {
    const run = await cli(['methods', '--json'], ws().dir);
    expect(run.code).toBe(0);
    const catalog = run.json<MethodCatalog>();
    expect(catalog.methods.find((m) => m.name === 'ssd')).toMatchObject({ source: '@unlearn/ssd' });
    expect(catalog.methods.find((m) => m.name === 'ssd')?.description).not.toBe('FAKE ssd');
    expect(catalog.overrides).toEqual([{ method: 'ssd', plugin: './fake-ssd.mjs', applied: false }]);
    const human = await cli(['methods'], ws().dir);
    expect(human.stderr).toMatch(/warning: plugin \.\/fake-ssd\.mjs registers the first-party method ssd; kept @unlearn\/ssd's \(--allow-plugin-override ssd runs the plugin's\)/);
  });

  it('still runs the first-party ssd after the plugin was imported', async () => {
    const run = await forgetSsd('out-2');
    expect(run.code).toBe(0);
    expect((await readRecord(join(ws().dir, 'out-2'))).method.details).not.toHaveProperty('ranPluginMethod');
  });

  it('[evidence] --allow-plugin-override ssd → the plugin\'s ssd runs, said on stderr; the record names the plugin as the method\'s source, with its SHA-256', async () => {
    const run = await forgetSsd('out-3', '--allow-plugin-override', 'ssd');
    expect(run.code).toBe(0);
    expect(run.stderr).toMatch(/plugin \.\/fake-ssd\.mjs replaces the first-party method ssd \(--allow-plugin-override\)/);
    const record = await readRecord(join(ws().dir, 'out-3'));
    expect(record.method).toMatchObject({ name: 'ssd', source: './fake-ssd.mjs', details: { ranPluginMethod: 'ssd' } });
    expect(record.plugins).toEqual([
      { name: './fake-ssd.mjs', entry: 'fake-ssd.mjs', sha256: await fileSha256(join(ws().dir, 'fake-ssd.mjs')), methods: ['ssd', 'test-fake-other'] },
    ]);
  });

  it('goes back to the first-party ssd on the next run without the flag', async () => {
    const run = await forgetSsd('out-4');
    expect(run.code).toBe(0);
    const record = await readRecord(join(ws().dir, 'out-4'));
    expect(record.method).toMatchObject({ source: '@unlearn/ssd' });
    expect(record.method.details).not.toHaveProperty('ranPluginMethod');
  });

  it("refuses a plugin's run of ssd through another of its methods' loads", async () => {
    const run = await cli(['forget', ...SSD_INPUTS, '--method', 'test-fake-other', '--backend', 'cpu', '--out', 'out-5'], ws().dir);
    expect(run.code).toBe(0);
    expect(run.stderr).toMatch(/warning: plugin \.\/fake-ssd\.mjs registers the first-party method ssd; kept/);
  });
});
