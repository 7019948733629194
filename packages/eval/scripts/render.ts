/**
 * Renders results/mnist.json again into results/mnist.{md,html} and the README table, without
 * rerunning anything (after a change to the writers).
 *
 *   node --conditions=@unlearn/source --import tsx scripts/render.ts
 */
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { parseReport } from '@unlearn/eval';
import { updateReadmeTable } from './readme-table.js';
import { reportNotes, writeReportWithNotes } from './report-notes.js';

const here = (p: string) => fileURLToPath(new URL(p, import.meta.url));
const report = parseReport(await readFile(here('../results/mnist.json'), 'utf8'));
const notes = reportNotes(report);
await writeReportWithNotes(report, here('../results/mnist'), notes);
const readme = await updateReadmeTable(report, notes.map((n) => `- ${n}`).join('\n'));
console.log(`rendered results/mnist.md and results/mnist.html${readme ? ' and the README table' : ''}`);
