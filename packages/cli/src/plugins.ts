import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import * as core from '@unlearn/core';
import { badInput } from './exit-codes.js';

export const PLUGIN_KEYWORD = 'unlearn-plugin';
export const CONFIG_FILE = 'unlearn.config.json';

/** The algorithm packages the CLI ships with; imported for their registration side effect. */
export const FIRST_PARTY = [
  '@unlearn/jit',
  '@unlearn/ssd',
  '@unlearn/lf-ssd',
  '@unlearn/retrain',
  '@unlearn/amnesiac',
  '@unlearn/bad-teacher',
  '@unlearn/neggrad-plus',
  '@unlearn/salun',
  '@unlearn/scrub',
  '@unlearn/unsir',
] as const;

export interface PluginCandidate {
  /** Package name or path as written in package.json / unlearn.config.json. */
  specifier: string;
  /** The package's own name (from its package.json), else the specifier. */
  name: string;
  from: 'keyword' | 'config' | 'first-party';
  /** File to import, or the bare specifier for first-party packages. */
  entry: string;
  version?: string;
  /** Why a name from unlearn.config.json resolved to no file from the project root: never imported. */
  unresolved?: string;
}

export interface PluginLoad extends PluginCandidate {
  ok: boolean;
  error?: string;
  /** The entry file relative to the project root, '/'-separated (plugins only). */
  file?: string;
  /** SHA-256 of the entry file, read just before it was imported (plugins only). */
  sha256?: string;
  /** Names the import registered or took over, whatever source it claimed (plugins only). */
  methods?: string[];
}

interface PackageJson {
  name?: string;
  version?: string;
  keywords?: string[];
  exports?: unknown;
  module?: string;
  main?: string;
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
}

async function readJson<T>(path: string): Promise<T | undefined> {
  try {
    return JSON.parse(await readFile(path, 'utf8')) as T;
  } catch {
    return undefined;
  }
}

function findUp(start: string, name: string): string | undefined {
  let dir = resolve(start);
  for (;;) {
    const candidate = join(dir, name);
    if (existsSync(candidate)) return candidate;
    const parent = dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

/** Node's lookup: node_modules/<name> in `from` and each folder above it. */
function findPackageDir(name: string, from: string): string | undefined {
  const found = findUp(from, join('node_modules', name, 'package.json'));
  return found ? dirname(found) : undefined;
}

function activeConditions(): Set<string> {
  const conditions = new Set(['node', 'import', 'default']);
  const args = process.execArgv;
  args.forEach((arg, i) => {
    if (arg.startsWith('--conditions=')) conditions.add(arg.slice('--conditions='.length));
    else if ((arg === '--conditions' || arg === '-C') && args[i + 1]) conditions.add(args[i + 1]!);
  });
  return conditions;
}

function pickExport(target: unknown, conditions: Set<string>): string | undefined {
  if (typeof target === 'string') return target;
  if (Array.isArray(target)) {
    for (const t of target) {
      const hit = pickExport(t, conditions);
      if (hit) return hit;
    }
    return undefined;
  }
  if (target && typeof target === 'object') {
    for (const [key, value] of Object.entries(target)) {
      if (conditions.has(key)) {
        const hit = pickExport(value, conditions);
        if (hit) return hit;
      }
    }
  }
  return undefined;
}

/** The file an ESM `import` of the package root would load. */
export function packageEntry(dir: string, pkg: PackageJson): string {
  const { exports } = pkg;
  let rel: string | undefined;
  if (exports !== undefined) {
    const root =
      typeof exports === 'object' && exports !== null && !Array.isArray(exports) && Object.keys(exports).some((k) => k.startsWith('.'))
        ? (exports as Record<string, unknown>)['.']
        : exports;
    rel = pickExport(root, activeConditions());
  }
  rel ??= pkg.module ?? pkg.main ?? 'index.js';
  return resolve(dir, rel);
}

async function candidateFromPackage(name: string, from: string, source: PluginCandidate['from']): Promise<PluginCandidate | undefined> {
  const dir = findPackageDir(name, from);
  if (!dir) return undefined;
  const pkg = await readJson<PackageJson>(join(dir, 'package.json'));
  if (!pkg) return undefined;
  if (source === 'keyword' && !pkg.keywords?.includes(PLUGIN_KEYWORD)) return undefined;
  return { specifier: name, name: pkg.name ?? name, from: source, entry: packageEntry(dir, pkg), ...(pkg.version ? { version: pkg.version } : {}) };
}

/**
 * The folder of the nearest package.json at or above `cwd` (else `cwd`). Plugins are looked for
 * there only: an unlearn.config.json in a folder above the project would otherwise run its code
 * for every project below it.
 */
export function projectRoot(cwd: string): string {
  const projectJson = findUp(cwd, 'package.json');
  return projectJson ? dirname(projectJson) : resolve(cwd);
}

/**
 * Plugins of the project whose root is `root` (see `projectRoot`): direct dependencies whose
 * package.json has the `unlearn-plugin` keyword, and the `plugins` listed in the root's
 * unlearn.config.json.
 */
export async function discoverPlugins(root: string): Promise<PluginCandidate[]> {
  const found: PluginCandidate[] = [];
  const skip = new Set<string>([...FIRST_PARTY, '@unlearn/core', '@unlearn/eval', '@unlearn/cli']);
  const projectJson = join(root, 'package.json');
  if (existsSync(projectJson)) {
    const project = await readJson<PackageJson>(projectJson);
    const deps = new Set([
      ...Object.keys(project?.dependencies ?? {}),
      ...Object.keys(project?.devDependencies ?? {}),
      ...Object.keys(project?.optionalDependencies ?? {}),
    ]);
    for (const name of [...deps].sort()) {
      if (skip.has(name)) continue;
      const candidate = await candidateFromPackage(name, root, 'keyword');
      if (candidate) {
        found.push(candidate);
        skip.add(name);
      }
    }
  }
  const configPath = join(root, CONFIG_FILE);
  if (existsSync(configPath)) {
    const config = await readJson<{ plugins?: unknown }>(configPath);
    if (!config) throw badInput('CORRUPT_FILE', `${configPath} is not valid JSON`);
    const plugins = config.plugins ?? [];
    if (!Array.isArray(plugins) || !plugins.every((p) => typeof p === 'string')) {
      throw badInput('CORRUPT_FILE', `${configPath}: "plugins" must be an array of package names or paths`);
    }
    for (const spec of plugins as string[]) {
      if (skip.has(spec)) continue;
      skip.add(spec);
      if (spec.startsWith('.') || isAbsolute(spec)) {
        found.push({ specifier: spec, name: spec, from: 'config', entry: resolve(root, spec) });
        continue;
      }
      found.push((await candidateFromPackage(spec, root, 'config')) ?? resolveFromRoot(spec, root));
    }
  }
  return found;
}

/**
 * A config name that is not a package folder (a subpath such as `pkg/extra.mjs`), resolved as
 * `require` would from the project root. One that resolves to no file there stays in the list, so
 * that `unlearn methods` reports it, marked unresolved: imported as a bare name, it would resolve
 * from the CLI's own install instead, and run code the deletion record could not name.
 */
function resolveFromRoot(spec: string, root: string): PluginCandidate {
  const candidate = { specifier: spec, name: spec, from: 'config' as const };
  let file: string;
  try {
    file = createRequire(join(root, 'package.json')).resolve(spec);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'error';
    return { ...candidate, entry: spec, unresolved: `not found from the project root ${root} (${code})` };
  }
  if (!isAbsolute(file)) return { ...candidate, entry: spec, unresolved: 'a Node.js built-in module, not a plugin file' };
  return { ...candidate, entry: file };
}

type PluginHook = (api: typeof core) => unknown;

/**
 * Imports a plugin. Plugins register on import (`registerUnlearner` from their own
 * `@unlearn/core`); a module that exports `register(core)` or a default function is also called
 * with this CLI's `@unlearn/core`, so a lone .mjs file that cannot resolve the package still works.
 */
export async function importCandidate(candidate: PluginCandidate): Promise<PluginLoad> {
  // Only first-party packages are imported by name (from the CLI's install, where they ship); a
  // plugin only as a file found from the project root, which the deletion record can name and hash.
  if (candidate.from !== 'first-party' && (candidate.unresolved !== undefined || !isAbsolute(candidate.entry))) {
    return { ...candidate, ok: false, error: `not imported: ${candidate.unresolved ?? 'not resolved to a file'}` };
  }
  const target = isAbsolute(candidate.entry) ? pathToFileURL(candidate.entry).href : candidate.entry;
  try {
    const mod = (await import(/* @vite-ignore */ target)) as { register?: unknown; default?: unknown };
    const hook = typeof mod.register === 'function' ? mod.register : typeof mod.default === 'function' ? mod.default : undefined;
    if (hook) await (hook as PluginHook)(core);
    return { ...candidate, ok: true };
  } catch (error) {
    return { ...candidate, ok: false, error: (error as Error).message.split('\n')[0] };
  }
}
