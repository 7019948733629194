import { readFile, writeFile } from 'node:fs/promises';
import type { RowReport } from '@unlearn/eval';
import { writeReport } from '@unlearn/eval/node';
import { MNIST_COARSE_PAIRS } from '@unlearn/mnist-fixture';
import type { NotedReport } from './merge-reports.js';

const pairs = MNIST_COARSE_PAIRS.map(([a, b]) => `{${a}, ${b}}`).join(', ');

/** Which preset a row ran with, read from the options the report recorded. */
function settingOf(row: RowReport): string {
  const options = (row.options ?? {}) as Record<string, unknown>;
  const preset = typeof options.preset === 'string' ? options.preset : undefined;
  if (preset) return `\`${row.method}\`, preset \`${preset}\``;
  const given = Object.entries(options)
    .filter(([k]) => ['epochs', 'learningRate', 'optimizer', 'alpha', 'lambda'].includes(k))
    .map(([k, v]) => `${k} ${String(v)}`)
    .join(', ');
  return `\`${row.method}\`, no preset (package defaults${given ? `: ${given}` : ''})`;
}

/**
 * The facts a reader needs next to the tables that the tables do not show: the sub-class
 * scenario's model, each row's setting, which references came from the cache, then the notes
 * kept in the report (which rows were run separately, which methods were not run). Derived
 * from the report alone, so a re-render (scripts/render.ts) writes the same notes.
 */
export function reportNotes(report: NotedReport): string[] {
  const notes: string[] = [];
  if (report.scenarios.some((s) => s.kind === 'sub-class')) {
    notes.push(
      `sub-class: MNIST has no fine/coarse labels, so the sub-class scenario uses a 5-class CNN of the same shape trained with the same recipe on digit pairs ${pairs} (\`internal/mnist/model/mnist-cnn-coarse\`, trained as \`internal/mnist/model/TRAINING-coarse.md\` says) and forgets every training sample of digit 3, whose sibling 5 keeps coarse class {3, 5} (3 is paired with the digit a model retrained without 3 takes it for most often, see \`internal/mnist/src/coarse.ts\`); forget-test accuracy is scored against the coarse label. Every method runs there with the same setting as on the 10-class CNN (the networks differ only in the output width).`,
    );
  }
  const methods = new Map<string, RowReport>();
  for (const s of report.scenarios) for (const row of s.rows) if (row.role !== 'original' && !methods.has(row.name)) methods.set(row.name, row);
  if (methods.size > 0) notes.push(`Settings: ${[...methods.values()].map((row) => `${row.name}: ${settingOf(row)}`).join('; ')}.`);
  const cached = report.scenarios.map((s) => {
    const ref = s.rows.find((r) => r.role === 'reference');
    const seeds = ref?.runs.filter((r) => r.cached).map((r) => r.seed) ?? [];
    return `${s.name} ${seeds.length ? `seeds ${seeds.join(', ')}` : 'none'}`;
  });
  notes.push(`References read from the retrain cache: ${cached.join('; ')}.`);
  return [...notes, ...(report.notes ?? [])];
}

/** The notes as a Markdown list under a "Notes:" line ('' when there are none). */
export function notesMarkdown(notes: readonly string[]): string {
  return notes.length ? `Notes:\n\n${notes.map((n) => `- ${n}`).join('\n')}` : '';
}

const escapeHtml = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const htmlOf = (note: string) => escapeHtml(note).replace(/`([^`]+)`/g, '<code>$1</code>');

/** `writeReport` plus the notes: a Notes section at the end of the Markdown and before the HTML's metric legend. */
export async function writeReportWithNotes(report: NotedReport, base: string, notes: readonly string[]) {
  const paths = await writeReport(report, base);
  if (notes.length === 0) return paths;
  const md = await readFile(paths.md, 'utf8');
  await writeFile(paths.md, `${md.trimEnd()}\n\n${notesMarkdown(notes)}\n`);
  const html = await readFile(paths.html, 'utf8');
  const section = `<section><h2>Notes</h2><ul>${notes.map((n) => `<li>${htmlOf(n)}</li>`).join('')}</ul></section>`;
  await writeFile(paths.html, html.replace('<section><h2>Metrics</h2>', `${section}\n<section><h2>Metrics</h2>`));
  return paths;
}
