import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { JIT_PRESETS } from '@unlearn/jit';
import { LF_SSD_PRESETS, SSD_DEFAULTS, SSD_PRESETS } from '@unlearn/ssd';
import { describe, expect, it } from 'vitest';
import { PLAYGROUND_METHODS } from '../.vitepress/theme/playground/methods.js';
import { CASES_PAGE, collectCases, renderCases } from '../scripts/reliability-cases.js';

// Keeps the pages honest: every snippet and include resolves, every example is shown and run, and
// the numbers the prose repeats still match the packages and their generated results.
const docs = fileURLToPath(new URL('..', import.meta.url));
const read = (path: string) => readFileSync(path, 'utf8');

function markdownPages(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return ['api', 'node_modules', 'public', 'browser', 'test', 'examples'].includes(entry.name) || entry.name.startsWith('.') ? [] : markdownPages(path);
    return entry.name.endsWith('.md') && path !== join(docs, 'README.md') ? [path] : [];
  });
}

const pages = markdownPages(docs).map((path) => ({ path, name: relative(docs, path), text: read(path) }));
const snippets = pages.flatMap((p) =>
  [...p.text.matchAll(/^<<< @\/(\S+?)(?:#([\w-]+))?(?:\{\w+\})?$/gm)].map((m) => ({ page: p.name, file: resolve(docs, m[1]!), region: m[2] })),
);
const includes = pages.flatMap((p) =>
  [...p.text.matchAll(/<!--@include: (\S+?)(?:\{[\d,]*\})?-->/g)].map((m) => ({ page: p.name, file: resolve(dirname(p.path), m[1]!) })),
);
const page = (name: string) => pages.find((p) => p.name === name)!.text;

describe('docs pages', () => {
  it('find their code snippets and regions', () => {
    expect(snippets.length).toBeGreaterThan(15);
    for (const s of snippets) {
      expect(existsSync(s.file), `${s.page}: ${s.file}`).toBe(true);
      if (s.region) expect(read(s.file), `${s.page}: region ${s.region}`).toContain(`#region ${s.region}`);
    }
  });

  it('find every included results file', () => {
    expect(includes.length).toBeGreaterThan(5);
    for (const i of includes) expect(existsSync(i.file), `${i.page}: ${i.file}`).toBe(true);
  });

  it('show every example, and the tests run every example', () => {
    const shown = new Set(snippets.map((s) => s.file));
    // Method packages run their examples in test files of their own (examples-<name>.test.ts).
    const testFiles = readdirSync(join(docs, 'test')).filter((f) => f === 'cli.test.ts' || /^examples(-[\w-]+)?\.test\.ts$/.test(f));
    const tests = testFiles.map((f) => read(join(docs, 'test', f))).join('\n');
    for (const file of readdirSync(join(docs, 'examples'))) {
      expect(shown.has(join(docs, 'examples', file)), `examples/${file} is on no page`).toBe(true);
      expect(tests, `examples/${file} is not run by a test`).toContain(`../examples/${file.replace(/\.ts$/, '.js')}`);
    }
  });
});

describe('the troubleshooting page', () => {
  it('explains every error code the library and the CLI can report', () => {
    const source = (dir: string): string[] =>
      readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? source(join(dir, e.name)) : e.name.endsWith('.ts') ? [read(join(dir, e.name))] : []));
    const core = read(join(docs, '../packages/core/src/errors.ts')).match(/export type UnlearnErrorCode =([\s\S]+?);\n/)![1]!;
    const codes = new Set([...core.matchAll(/^\s*\| '([A-Z_]+)'/gm)].map((m) => m[1]!));
    const cli = [join(docs, '../packages/cli/src'), join(docs, '../packages/jobs/src')].flatMap(source).join('\n');
    for (const m of cli.matchAll(/(?:badInput|CliError)\(\s*(?:'[a-z-]+',\s*)?'([A-Z_]+)'/g)) codes.add(m[1]!);
    expect(codes.size).toBeGreaterThan(25);
    const text = page('guide/troubleshooting.md');
    for (const code of codes) expect(text, code).toMatch(new RegExp(`^\\| \`${code}\` \\|`, 'm'));
  });
});

describe('the reliability page', () => {
  it('lists exactly the cases the tests name (regenerate with npm run reliability -w @unlearn/docs)', () => {
    const cases = collectCases();
    expect(cases.length).toBeGreaterThan(20);
    for (const kind of ['data loss', 'security', 'evidence', 'bad input', 'fault']) expect(cases.some((c) => c.kind === kind), kind).toBe(true);
    expect(read(CASES_PAGE)).toBe(renderCases(cases));
    expect(page('guide/reliability.md')).toContain('<!--@include: ./reliability-cases.md-->');
  });
});

describe('numbers repeated in the prose', () => {
  it('JiT presets table matches JIT_PRESETS', () => {
    for (const [name, p] of Object.entries(JIT_PRESETS)) {
      const row = page('algorithms/jit.md').match(new RegExp(`^\\| \`${name}\`.*$`, 'm'))?.[0];
      expect(row, name).toBeDefined();
      const cells = row!.split('|').map((c) => c.trim());
      expect(cells.slice(2, 6).map(Number), name).toEqual([p.sigma, p.lr, p.nSamples, p.batchSize]);
    }
  });

  it('SSD options table matches SSD_DEFAULTS', () => {
    for (const key of ['alpha', 'lambda', 'exponent', 'cap', 'batchSize'] as const) {
      expect(page('algorithms/ssd.md')).toMatch(new RegExp(`^\\| \`${key}\` \\| ${SSD_DEFAULTS[key]} \\|`, 'm'));
    }
  });

  it('SSD and LF-SSD presets tables match SSD_PRESETS and LF_SSD_PRESETS', () => {
    const tables: [string, Record<string, { alpha: number; lambda: number; batchSize?: number }>][] = [
      ['algorithms/ssd.md', SSD_PRESETS],
      ['algorithms/lf-ssd.md', LF_SSD_PRESETS],
    ];
    for (const [name, presets] of tables) {
      for (const [preset, p] of Object.entries(presets)) {
        const row = page(name).match(new RegExp(`^\\| \`${preset}\`.*$`, 'm'))?.[0];
        expect(row, `${name}: ${preset}`).toBeDefined();
        const cells = row!.split('|').map((c) => c.trim());
        expect(cells.slice(2, 5).map(Number), `${name}: ${preset}`).toEqual([p.alpha, p.lambda, p.batchSize ?? SSD_DEFAULTS.batchSize]);
      }
    }
  });

  it('the playground runs the MNIST presets, which are the tuned settings of the results files', () => {
    expect(PLAYGROUND_METHODS.jit.options.preset).toBe('mnist-cnn');
    expect(PLAYGROUND_METHODS.ssd.options.preset).toBe('mnist-cnn');
    const { alpha, lambda } = SSD_PRESETS['mnist-cnn'];
    expect(read(join(docs, '../packages/ssd/results/mnist.md'))).toContain(`SSD tuned (alpha ${alpha}, lambda ${lambda})`);
    const lf = LF_SSD_PRESETS['mnist-cnn'];
    expect(read(join(docs, '../packages/lf-ssd/results/mnist.md'))).toContain(`LF-SSD tuned (alpha ${lf.alpha}, lambda ${lf.lambda})`);
  });

  it('the method chooser quotes auto mode\'s MNIST results', () => {
    interface Run { method: string; satisfied: boolean; fractionOfRetrain: number; accuracy: { forgetTest: number; retainTest: number } }
    const report = JSON.parse(read(join(docs, '../packages/eval/results/auto-mnist.json'))) as { models: { key: string; runs: Run[] }[] };
    const mean = (v: number[]) => v.reduce((a, b) => a + b, 0) / v.length;
    const rows = [...page('guide/choosing-a-method.md').matchAll(/^\| (A|B)(?::[^|]*)? \| (\S+) \| (\d)\/(\d) \| ([\d.]+) \| ([\d.]+) \| ([\d.]+) \|$/gm)];
    expect(rows.length).toBe(6);
    for (const [, model, method, met, seeds, forget, retain, share] of rows) {
      const runs = report.models.find((m) => m.key === model)!.runs.filter((r) => r.method === method);
      expect(runs.length, `${model} ${method}`).toBe(Number(seeds));
      expect(runs.filter((r) => r.satisfied).length, `${model} ${method}`).toBe(Number(met));
      expect((mean(runs.map((r) => r.accuracy.forgetTest)) * 100).toFixed(1), `${model} ${method}`).toBe(forget);
      expect((mean(runs.map((r) => r.accuracy.retainTest)) * 100).toFixed(1), `${model} ${method}`).toBe(retain);
      expect((mean(runs.map((r) => r.fractionOfRetrain)) * 100).toFixed(1), `${model} ${method}`).toBe(share);
    }
  });

  it('the playground page quotes the current MNIST results', () => {
    const text = page('playground.md');
    const jit = read(join(docs, '../packages/jit/results/mnist-sweep.md'));
    const ssd = read(join(docs, '../packages/ssd/results/mnist.md'));
    const { sigma, lr } = JIT_PRESETS['mnist-cnn'];
    // The chosen JiT row: forget-test 26.21, retain-test 95.65, rounded to one decimal on the page.
    expect(jit).toMatch(new RegExp(`\\| ${sigma} \\| ${lr.toFixed(6).replace(/0+$/, '')} \\| refine \\| 0 \\| [\\d.]+ \\| 26\\.21 \\| 95\\.65 \\|`));
    expect(text).toContain('JiT 96.6% → 26.2% forget-test and 97.2% → 95.7%');
    expect(ssd).toMatch(/\| SSD tuned \(alpha 5, lambda 0\.1\) \| 1\.5% \| 97\.7% \|/);
    expect(text).toContain('SSD 96.6% → 1.5% and 97.2% → 97.7%');
  });
});
