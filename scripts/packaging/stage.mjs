// Stages each published workspace in its .publish/ folder (git-ignored): the built files it
// lists in "files", and the manifest from manifest.mjs. `changeset publish` publishes that
// folder ("publishConfig.directory"), so what npm uploads, tarball and registry metadata alike,
// is the cleaned manifest, and the package.json in the repository is never rewritten.
// Run after the build: `node scripts/packaging/stage.mjs [name...]` prints the staged folders.
import { cpSync, existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { publishedManifest } from './manifest.mjs';
import { publishedWorkspaces, readJson, repoRoot, workspaces } from './workspaces.mjs';

export const STAGE_DIR = '.publish';

const GUARD = 'node ../../scripts/packaging/pack-guard.mjs';

/** Stages the published workspaces (all, or those named); returns their staged folders. */
export function stageAll(names = []) {
  const rootManifest = readJson(join(repoRoot, 'package.json'));
  const privateNames = new Set(workspaces().filter((w) => w.manifest.private).map((w) => w.manifest.name));
  const chosen = publishedWorkspaces().filter((w) => names.length === 0 || names.includes(w.manifest.name));
  const unknown = names.filter((name) => !chosen.some((w) => w.manifest.name === name));
  if (unknown.length > 0) throw new Error(`not a published workspace: ${unknown.join(', ')}`);
  return chosen.map(({ dir, path, manifest }) => {
    const staged = join(path, STAGE_DIR);
    if (manifest.publishConfig?.directory !== STAGE_DIR) {
      throw new Error(`${manifest.name}: publishConfig.directory must be "${STAGE_DIR}" so changesets publishes the staged copy`);
    }
    if (manifest.scripts?.prepack !== GUARD) {
      throw new Error(`${manifest.name}: scripts.prepack must be "${GUARD}" so the unstaged folder cannot be packed`);
    }
    const out = publishedManifest(manifest, dir, rootManifest, privateNames);
    rmSync(staged, { recursive: true, force: true });
    mkdirSync(staged);
    for (const entry of out.files) {
      if (/[*?{[!]/.test(entry)) throw new Error(`${manifest.name}: "files" entry ${entry} is a pattern; list folders and files`);
      const from = join(path, entry);
      if (!existsSync(from)) throw new Error(`${manifest.name}: ${entry} is missing (run the build first)`);
      cpSync(from, join(staged, entry), { recursive: true });
    }
    writeFileSync(join(staged, 'package.json'), `${JSON.stringify(out, null, 2)}\n`);
    return staged;
  });
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  for (const staged of stageAll(process.argv.slice(2))) console.log(staged);
}
