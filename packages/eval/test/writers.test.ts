import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { noopUnlearner } from '@unlearn/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { benchmark, fullClass, parseReport, randomSamples, toHtml, toJson, toMarkdown, type BenchmarkReport } from '../src/index.js';
import { writeReport } from '../src/node/index.js';
import { failingUnlearner, testAscent, testRetrain, toyProblem } from './helpers.js';

let toy: ReturnType<typeof toyProblem>;
let report: BenchmarkReport;

beforeAll(async () => {
  toy = toyProblem();
  report = await benchmark({
    title: 'Toy benchmark',
    model: toy.model,
    data: toy.data,
    scenarios: [fullClass(0), randomSamples(5)],
    unlearners: { noop: noopUnlearner(), ascent: testAscent(), broken: failingUnlearner() },
    retrain: testRetrain({ steps: 40 }),
    seeds: [0, 1],
  });
});
afterAll(() => toy.dispose());

const cells = (line: string) => line.split('|').slice(1, -1).map((c) => c.trim());

describe('toMarkdown', () => {
  it('has a table per scenario with a row per model and mean ± std cells', () => {
    const md = toMarkdown(report);
    expect(md).toContain('### full-class(0)');
    expect(md).toContain('### random(5)');
    const header = md.split('\n').find((l) => l.startsWith('| method'))!;
    expect(cells(header)).toEqual([
      'method',
      'retain test acc (%)',
      'forget test acc (%)',
      'forget train acc (%)',
      'MIA (%)',
      'JS to retrain (nats)',
      'activation dist.',
      'ZRF',
      'time',
      'speed-up',
    ]);
    const rows = md.split('\n').filter((l) => l.startsWith('| ') && !l.startsWith('| method'));
    expect(rows.map((l) => cells(l)[0])).toEqual([
      'original (before unlearning)',
      '**test-retrain (reference)**',
      'noop',
      'ascent',
      'broken [2/2 runs failed]',
      'original (before unlearning)',
      '**test-retrain (reference)**',
      'noop',
      'ascent',
      'broken [2/2 runs failed]',
    ]);
    const ascent = report.scenarios[0]!.rows.find((r) => r.name === 'ascent')!;
    const acc = ascent.summary.retainTestAcc!;
    const ascentCells = cells(rows[3]!);
    expect(ascentCells[1]).toBe(`${(acc.mean * 100).toFixed(1)} ± ${(acc.std * 100).toFixed(1)}`);
    expect(ascentCells[8]).toMatch(/^[\d.,]+ ± [\d.,]+ m?s$/);
    expect(ascentCells[9]).toMatch(/^[\d.,]+ ± [\d.,]+×$/);
    // The original model has no unlearning time; the reference's distance to itself is 0.
    expect(cells(rows[0]!)[8]).toBe('—');
    expect(cells(rows[1]!)[5]).toBe('0.0000 ± 0.0000');
    expect(md).toContain('- broken failed: planned failure');
    expect(md).toMatch(/\*\*MIA\*\* \(closer to retrain is better\)/);
  });
});

describe('toJson', () => {
  it('round-trips every number, with null where a metric does not apply', () => {
    const parsed = JSON.parse(toJson(report)) as BenchmarkReport;
    expect(parsed.format).toBe('unlearn-benchmark');
    const original = parsed.scenarios[0]!.rows[0]!;
    expect(original.runs[0]!.timeMs).toBeNull();
    const ascent = parsed.scenarios[0]!.rows.find((r) => r.name === 'ascent')!;
    const live = report.scenarios[0]!.rows.find((r) => r.name === 'ascent')!;
    expect(ascent.runs.map((r) => r.metrics)).toEqual(live.runs.map((r) => r.metrics));
    expect(parsed.timings.failedRuns).toBe(4);
  });

  it('reads a saved report back so it renders the same', () => {
    const again = parseReport(toJson(report));
    expect(Number.isNaN(again.scenarios[0]!.rows[0]!.runs[0]!.timeMs)).toBe(true);
    expect(toMarkdown(again)).toBe(toMarkdown(report));
    expect(() => parseReport('{"format":"other"}')).toThrow(/Not an unlearn benchmark report/);
  });
});

describe('toHtml', () => {
  let html: string;
  beforeAll(async () => {
    html = await toHtml(report);
  });

  it('is self-contained: no scripts, no external URLs', () => {
    expect(html.startsWith('<!doctype html>')).toBe(true);
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toMatch(/<link/i);
    expect(html).not.toMatch(/@import|url\(/i);
    const urls = html.match(/https?:\/\/[^\s"'<>)]+/g) ?? [];
    const allowed = new Set(['http://www.w3.org/2000/svg', 'http://www.w3.org/1999/xlink', 'http://www.w3.org/1999/xhtml']);
    expect(urls.filter((u) => !allowed.has(u))).toEqual([]);
  });

  it('draws one inline SVG per chart: five metrics per scenario', () => {
    expect((html.match(/<svg/g) ?? []).length).toBe(2 * 5);
    expect((html.match(/<figure class="chart">/g) ?? []).length).toBe(2 * 5);
    expect(html).toContain('retain test acc: full-class(0)');
    expect(html).toContain('time: random(5)');
    // The reference is drawn as its own row and named in each chart's subtitle.
    expect(html).toContain('dashed line: test-retrain');
    expect(html).toContain('<tr class="reference"><td>test-retrain (reference)</td>');
  });

  it('writes json, md and html side by side', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'unlearn-eval-report-'));
    try {
      const paths = await writeReport(report, join(dir, 'toy'));
      expect(JSON.parse(readFileSync(paths.json, 'utf8')).title).toBe('Toy benchmark');
      expect(readFileSync(paths.md, 'utf8')).toBe(toMarkdown(report));
      expect(readFileSync(paths.html, 'utf8')).toContain('<svg');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
