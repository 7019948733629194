/**
 * Renders results/mnist.json again into results/mnist.{md,html} and the README table, without
 * rerunning anything (after a change to the writers).
 *
 *   node --conditions=@unlearn/source --import tsx scripts/render.ts
 */
import { readFile, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { parseReport, toHtml, toMarkdown } from '@unlearn/eval';
import { updateReadmeTable } from './readme-table.js';

const here = (p: string) => fileURLToPath(new URL(p, import.meta.url));
const report = parseReport(await readFile(here('../results/mnist.json'), 'utf8'));
await writeFile(here('../results/mnist.md'), toMarkdown(report));
await writeFile(here('../results/mnist.html'), await toHtml(report));
console.log(`rendered results/mnist.md and results/mnist.html${(await updateReadmeTable(report)) ? ' and the README table' : ''}`);
