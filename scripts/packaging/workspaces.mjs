// The workspaces of this repository and which of them npm publishes.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = fileURLToPath(new URL('../..', import.meta.url));

export const readJson = (file) => JSON.parse(readFileSync(file, 'utf8'));

/** Every workspace as { dir (relative to the root, with forward slashes), path, manifest }. */
export function workspaces() {
  const patterns = readJson(join(repoRoot, 'package.json')).workspaces;
  const dirs = patterns.flatMap((pattern) => {
    if (!pattern.endsWith('/*')) return [pattern];
    const group = pattern.slice(0, -2);
    if (!existsSync(join(repoRoot, group))) return [];
    return readdirSync(join(repoRoot, group)).map((name) => `${group}/${name}`);
  });
  return dirs
    .filter((dir) => existsSync(join(repoRoot, dir, 'package.json')))
    .map((dir) => ({ dir, path: join(repoRoot, dir), manifest: readJson(join(repoRoot, dir, 'package.json')) }));
}

export const publishedWorkspaces = () => workspaces().filter((w) => !w.manifest.private);
