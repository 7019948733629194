// Lints what npm would publish: stages every published workspace (stage.mjs), then runs publint
// (strict: its warnings fail too) and Are the Types Wrong (node16 profile: import and require
// under Node's own resolution, and bundlers) on each staged folder. Run after the build;
// `node scripts/packaging/lint.mjs [name...]` lints only the packages named.
import { spawnSync } from 'node:child_process';
import { join, relative } from 'node:path';
import { stageAll } from './stage.mjs';
import { repoRoot } from './workspaces.mjs';

const bin = (name) => join(repoRoot, 'node_modules', '.bin', name);
const checks = [
  ['publint', (dir) => [bin('publint'), dir, '--strict']],
  ['attw', (dir) => [bin('attw'), '--pack', dir, '--profile', 'node16', '--format', 'table-flipped']],
];

const failed = [];
for (const staged of stageAll(process.argv.slice(2))) {
  for (const [name, command] of checks) {
    const [file, ...args] = command(staged);
    const { status } = spawnSync(file, args, { stdio: 'inherit', cwd: repoRoot });
    if (status !== 0) failed.push(`${name} ${relative(repoRoot, staged)}`);
  }
}
if (failed.length > 0) {
  console.error(`\npackage lint failed:\n  ${failed.join('\n  ')}`);
  process.exit(1);
}
console.log('\npublint and attw: every published package is clean');
