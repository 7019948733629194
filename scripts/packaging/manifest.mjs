// The package.json a workspace is published with. The one in the repository serves development:
// its "@unlearn/source" export condition points at src/ (never published), its scripts run files
// that stay here, and its devDependencies name private workspaces. None of that means anything to
// someone who installs the package, so the published manifest leaves it out.

export const SOURCE_CONDITION = '@unlearn/source';

const DEV_ONLY_FIELDS = ['scripts', 'devDependencies'];
const DEPENDENCY_FIELDS = ['dependencies', 'peerDependencies', 'optionalDependencies'];

function withoutSourceCondition(target) {
  if (typeof target !== 'object' || target === null) return target;
  if (Array.isArray(target)) return target.map(withoutSourceCondition);
  return Object.fromEntries(
    Object.entries(target)
      .filter(([key]) => key !== SOURCE_CONDITION)
      .map(([key, value]) => [key, withoutSourceCondition(value)]),
  );
}

const isSourcePath = (path) => /^(\.\/)?src\//.test(path);

/**
 * @param manifest the workspace's package.json
 * @param dir the workspace folder relative to the repository root (for `repository.directory`)
 * @param rootManifest the repository root's package.json (repository, homepage and bugs come from there)
 * @param privateNames names of the private workspaces, which a published package may not depend on
 */
export function publishedManifest(manifest, dir, rootManifest, privateNames) {
  const problems = [];
  for (const field of DEPENDENCY_FIELDS) {
    for (const name of Object.keys(manifest[field] ?? {})) {
      if (privateNames.has(name)) problems.push(`${field} names the private workspace ${name}`);
    }
  }
  if (!Array.isArray(manifest.files)) problems.push('no "files" list: npm would publish the whole folder');
  if (problems.length > 0) throw new Error(`${manifest.name}: ${problems.join('; ')}`);

  const out = { ...manifest };
  for (const field of DEV_ONLY_FIELDS) delete out[field];
  if (out.exports) out.exports = withoutSourceCondition(out.exports);
  if (Array.isArray(out.sideEffects)) out.sideEffects = out.sideEffects.filter((path) => !isSourcePath(path));
  if (out.publishConfig) {
    // "directory" tells changesets where this manifest is staged; npm does not know the key.
    const { directory: _staged, ...rest } = out.publishConfig;
    if (Object.keys(rest).length > 0) out.publishConfig = rest;
    else delete out.publishConfig;
  }
  const repository = rootManifest.repository;
  if (repository) {
    const url = typeof repository === 'string' ? repository : repository.url;
    out.repository = { type: 'git', url, directory: dir };
  }
  for (const field of ['homepage', 'bugs']) {
    if (rootManifest[field] && !out[field]) out[field] = rootManifest[field];
  }

  const entryPoints = ['exports', 'bin', 'main', 'module', 'types', 'typings', 'browser'].map((f) => out[f]);
  const leftovers = JSON.stringify(entryPoints).match(/"(\.\/)?src\/[^"]*"/g);
  if (leftovers) throw new Error(`${manifest.name}: entry points still in src/: ${leftovers.join(', ')}`);
  return out;
}
