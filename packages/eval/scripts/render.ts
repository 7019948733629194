/**
 * Renders results/mnist.json again into results/mnist.{md,html} and the README table, without
 * rerunning anything (after a change to the writers). Files named after it are the rows of one
 * later run written by `ONLY=… PART=file.json npm run report` (one file per scenario when
 * SCENARIOS split it): they are put in first (a row of the same name is replaced) and saved
 * into results/mnist.json. NOT_RUN="…" sets the note that
 * lists methods missing from the report. FROM_PARTS=a.json,b.json,… starts from those reports
 * (runs of different scenarios, `SCENARIOS=… PART=…`) joined in that order instead of the
 * committed results/mnist.json. REPORT=/some/base renders that report instead (and leaves
 * the README alone), e.g. a SMOKE=1 run's.
 *
 *   node --conditions=@unlearn/source --import tsx scripts/render.ts [part.json ...]
 */
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { parseReport } from '@unlearn/eval';
import { mergeReports, REPORT_TITLE, withPart, type NotedReport } from './merge-reports.js';
import { updateReadmeTable } from './readme-table.js';
import { notesMarkdown, reportNotes, writeReportWithNotes } from './report-notes.js';

const here = (p: string) => fileURLToPath(new URL(p, import.meta.url));
const base = process.env.REPORT ?? here('../results/mnist');
const read = async (file: string) => parseReport(await readFile(file, 'utf8'));
let report: NotedReport = process.env.FROM_PARTS
  ? {
      ...mergeReports(REPORT_TITLE, await Promise.all(process.env.FROM_PARTS.split(',').map(read))),
      notes: ['Each scenario ran as its own process, side by side (SCENARIOS=…); the total time adds up their wall times.'],
    }
  : await read(`${base}.json`);
// Rows of one later run, possibly one file per scenario: joined first, so they make one note.
const parts = process.argv.slice(2);
if (parts.length > 0) {
  report = withPart(report, mergeReports(REPORT_TITLE, await Promise.all(parts.map(read))));
  console.log(`put in the rows of ${parts.join(', ')}`);
}
if (process.env.NOT_RUN !== undefined) {
  report.notes = [...(report.notes ?? []).filter((n) => !n.startsWith('Not run:')), ...(process.env.NOT_RUN ? [`Not run: ${process.env.NOT_RUN}`] : [])];
}
// NOTE="…" adds a note of its own (e.g. what the machine was doing while it ran).
if (process.env.NOTE) report.notes = [...(report.notes ?? []), process.env.NOTE];
const notes = reportNotes(report);
await writeReportWithNotes(report, base, notes);
const readme = !process.env.REPORT && (await updateReadmeTable(report, notesMarkdown(notes)));
console.log(`rendered ${process.env.REPORT ? base : 'results/mnist'}.{json,md,html}${readme ? ' and the README table' : ''}`);
