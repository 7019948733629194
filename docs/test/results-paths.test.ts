import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// The pages include the committed results and logs; a path of the machine that made them
// (`/tmp/node-bin/node`) says nothing to a reader and leaks how that machine was set up.
const repo = fileURLToPath(new URL('../..', import.meta.url));
const SKIP = new Set(['node_modules', 'dist', '.git', '.turbo', '.vitepress']);
const MACHINE_PATH = /(?:^|[\s"'`(=:])(\/(?:tmp|home|root|Users|work|var\/folders)\/[^\s"'`)]*)/m;

function resultsFiles(dir: string, inResults = false): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    if (SKIP.has(entry.name)) return [];
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return resultsFiles(path, inResults || entry.name === 'results');
    return inResults ? [path] : [];
  });
}

describe('committed results', () => {
  it('name no absolute path of the machine that made them', () => {
    const files = resultsFiles(repo);
    expect(files.map((f) => relative(repo, f))).toContain(join('scripts', 'gpu', 'results', 'h200-zoo-machine.txt'));
    const found = files.flatMap((f) => {
      const hit = MACHINE_PATH.exec(readFileSync(f, 'utf8'));
      return hit ? [`${relative(repo, f)}: ${hit[1]}`] : [];
    });
    expect(found).toEqual([]);
  });
});
