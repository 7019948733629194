import { readFile, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { toMarkdown, type BenchmarkReport } from '@unlearn/eval';

const START = '<!-- mnist-results:start -->';
const END = '<!-- mnist-results:end -->';

/** Replaces the table between the README's result markers; false when the markers are missing. */
export async function updateReadmeTable(report: BenchmarkReport, note = ''): Promise<boolean> {
  const path = fileURLToPath(new URL('../README.md', import.meta.url));
  const readme = await readFile(path, 'utf8');
  const i = readme.indexOf(START);
  const j = readme.indexOf(END);
  if (i < 0 || j < i) return false;
  const table = toMarkdown(report, { headingLevel: 4 });
  await writeFile(path, `${readme.slice(0, i + START.length)}\n${table}${note ? `\n${note}\n` : ''}\n${readme.slice(j)}`);
  return true;
}
