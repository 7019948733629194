import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { toHtml } from '../html.js';
import { toJson } from '../json.js';
import { toMarkdown } from '../markdown.js';
import type { BenchmarkReport } from '../report.js';

/** Writes `<base>.json`, `<base>.md` and `<base>.html`; returns the three paths. */
export async function writeReport(report: BenchmarkReport, base: string): Promise<{ json: string; md: string; html: string }> {
  const full = resolve(base.replace(/\.(json|md|html)$/, ''));
  await mkdir(dirname(full), { recursive: true });
  const paths = { json: `${full}.json`, md: `${full}.md`, html: `${full}.html` };
  await writeFile(paths.json, toJson(report));
  await writeFile(paths.md, toMarkdown(report));
  await writeFile(paths.html, await toHtml(report));
  return paths;
}
