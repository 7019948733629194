import { mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/**
 * Writes a package benchmark's report into the package's one results folder, beside its other
 * reports: `results/bench.json` and `results/bench.md`. `benchFile` is the calling script's
 * `import.meta.url` (a file in the package's `bench/` folder). Returns the folder.
 */
export function writeBenchResults(benchFile: string, report: unknown, markdown: string): string {
  const dir = new URL('../results/', benchFile);
  mkdirSync(dir, { recursive: true });
  writeFileSync(new URL('bench.json', dir), `${JSON.stringify(report, null, 2)}\n`);
  writeFileSync(new URL('bench.md', dir), markdown);
  return fileURLToPath(dir);
}
