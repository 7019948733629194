import { registeredUnlearners, registrations, restoreRegistration, unregisterUnlearner, type MethodInfo, type Registration } from '@unlearn/core';
import { usageError } from './exit-codes.js';
import type { Output } from './io.js';
import { importPlugin, type PluginImport } from './plugin-load.js';
import type { PluginLoad } from './plugins.js';
import { discoverPlugins, FIRST_PARTY, importCandidate, projectRoot } from './plugins.js';

/** A first-party method name a plugin registered too; `applied` only with --allow-plugin-override. */
export interface MethodOverride {
  method: string;
  plugin: string;
  applied: boolean;
}

export interface MethodCatalog {
  methods: MethodInfo[];
  /** The first-party packages and every plugin this run imported, and whether each loaded. */
  loads: PluginLoad[];
  overrides: MethodOverride[];
  /** Method name → the plugin whose registration of it this run uses. */
  providers: Record<string, string>;
}

export interface LoadOptions {
  /**
   * The methods the command will run. Plugins are imported only when one of them is not
   * first-party or may be overridden; without this (listing), they always are.
   */
  methods?: readonly string[];
  /** First-party methods a plugin may replace (--allow-plugin-override). */
  allowOverride?: readonly string[];
}

interface FirstParty {
  loads: PluginLoad[];
  registrations: Map<string, Registration>;
}

let firstParty: Promise<FirstParty> | undefined;
const projects = new Map<string, Promise<PluginImport[]>>();
// Names any plugin import registered, in any project: a run that did not load that plugin hides them.
const pluginNames = new Set<string>();

function loadFirstParty(): Promise<FirstParty> {
  firstParty ??= (async () => {
    const loads = await Promise.all(FIRST_PARTY.map((name) => importCandidate({ specifier: name, name, from: 'first-party', entry: name })));
    // Taken before any plugin can have run, so a claimed source cannot pass for first-party here.
    const sources = new Set<string>(FIRST_PARTY);
    const current = registrations();
    const own = registeredUnlearners().filter((m) => m.source !== undefined && sources.has(m.source));
    return { loads, registrations: new Map(own.map((m) => [m.name, current.get(m.name)!])) };
  })();
  return firstParty;
}

function loadProjectPlugins(root: string): Promise<PluginImport[]> {
  let pending = projects.get(root);
  if (!pending) {
    pending = (async () => {
      const imports: PluginImport[] = [];
      for (const candidate of await discoverPlugins(root)) {
        const imported = await importPlugin(candidate, root);
        for (const name of imported.registered.keys()) pluginNames.add(name);
        imports.push(imported);
      }
      return imports;
    })();
    projects.set(root, pending);
    // A discovery failure (e.g. a broken unlearn.config.json) should be retried next time.
    pending.catch(() => projects.delete(root));
  }
  return pending;
}

/**
 * Imports the first-party method packages and, when needed, the plugins of the project around
 * `cwd`, then sets the registry for this run: first-party methods as shipped unless allowed to be
 * overridden, plus the methods of the plugins that loaded. A plugin that failed to load
 * contributes nothing, even what it registered before it threw.
 */
export async function loadMethods(cwd: string, options: LoadOptions = {}): Promise<MethodCatalog> {
  const fp = await loadFirstParty();
  const allow = new Set(options.allowOverride ?? []);
  for (const name of allow) {
    if (!fp.registrations.has(name)) {
      throw usageError(`--allow-plugin-override: "${name}" is not a first-party method (${[...fp.registrations.keys()].sort().join(', ')})`);
    }
  }
  const needed = options.methods === undefined || options.methods.some((m) => !fp.registrations.has(m) || allow.has(m));
  const imports = needed ? await loadProjectPlugins(projectRoot(cwd)) : [];

  for (const name of pluginNames) if (!fp.registrations.has(name)) unregisterUnlearner(name);
  for (const [name, registration] of fp.registrations) restoreRegistration(name, registration);
  const overrides: MethodOverride[] = [];
  const providers: Record<string, string> = {};
  for (const { load, registered } of imports) {
    if (!load.ok) continue;
    for (const [name, registration] of registered) {
      if (fp.registrations.has(name)) {
        overrides.push({ method: name, plugin: load.name, applied: allow.has(name) });
        if (!allow.has(name)) continue;
      }
      restoreRegistration(name, registration);
      providers[name] = load.name;
    }
  }
  return { methods: registeredUnlearners(), loads: [...fp.loads, ...imports.map((i) => i.load)], overrides, providers };
}

export function failedLoads(catalog: MethodCatalog): PluginLoad[] {
  return catalog.loads.filter((l) => !l.ok);
}

/** Names each plugin this run loaded, and each first-party method a plugin replaced or was refused. */
export function reportPlugins(out: Output, catalog: MethodCatalog): void {
  for (const l of catalog.loads) {
    if (l.ok && l.from !== 'first-party') out.status(`loaded plugin ${l.name}${l.version ? `@${l.version}` : ''}${l.file ? ` (${l.file})` : ''}`);
  }
  for (const o of catalog.overrides) {
    if (o.applied) out.status(`plugin ${o.plugin} replaces the first-party method ${o.method} (--allow-plugin-override)`);
    else out.warn(`plugin ${o.plugin} registers the first-party method ${o.method}; kept ${sourceOf(o.method)}'s (--allow-plugin-override ${o.method} runs the plugin's)`);
  }
}

function sourceOf(method: string): string {
  return registeredUnlearners().find((m) => m.name === method)?.source ?? 'the first-party one';
}
