import { createRequire } from 'node:module';
import { join } from 'node:path';

// A bare package name: anything else (a path a plugin claims as its source) must not be resolved
// relative to this file.
const PACKAGE_NAME = /^(@[a-z0-9][\w.-]*\/)?[a-z0-9][\w.-]*$/i;

const versions = new Map<string, string | undefined>();

/**
 * The installed version of a package, as this process would load it: resolved from this package
 * (first-party methods sit beside it) and from the working folder (where the CLI finds plugins).
 * Undefined when it cannot be found or does not export its package.json.
 */
export function packageVersion(name: string): string | undefined {
  if (!PACKAGE_NAME.test(name)) return undefined;
  if (!versions.has(name)) versions.set(name, find(name));
  return versions.get(name);
}

function find(name: string): string | undefined {
  for (const from of [import.meta.url, join(process.cwd(), 'noop.js')]) {
    try {
      const pkg = createRequire(from)(`${name}/package.json`) as { version?: unknown };
      if (typeof pkg.version === 'string') return pkg.version;
    } catch {
      // not resolvable from here
    }
  }
  return undefined;
}
