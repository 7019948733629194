import { registeredUnlearners, type MethodInfo } from '@unlearn/core';
import type { PluginLoad } from './plugins.js';
import { discoverPlugins, FIRST_PARTY, importCandidate } from './plugins.js';

export interface MethodCatalog {
  methods: MethodInfo[];
  /** Every package or file the CLI tried to import, and whether it loaded. */
  loads: PluginLoad[];
}

const loaded = new Map<string, Promise<PluginLoad[]>>();

/**
 * Imports the first-party method packages and the project's plugins (once per folder), so
 * that the registry holds every method this CLI can run.
 */
export async function loadMethods(cwd: string): Promise<MethodCatalog> {
  let pending = loaded.get(cwd);
  if (!pending) {
    pending = (async () => {
      const firstParty = await Promise.all(
        FIRST_PARTY.map((name) => importCandidate({ specifier: name, from: 'first-party', entry: name })),
      );
      const plugins: PluginLoad[] = [];
      for (const candidate of await discoverPlugins(cwd)) plugins.push(await importCandidate(candidate));
      return [...firstParty, ...plugins];
    })();
    loaded.set(cwd, pending);
    // A discovery failure (e.g. a broken unlearn.config.json) should be retried next time.
    pending.catch(() => loaded.delete(cwd));
  }
  const loads = await pending;
  return { methods: registeredUnlearners(), loads };
}

export function failedLoads(catalog: MethodCatalog): PluginLoad[] {
  return catalog.loads.filter((l) => !l.ok);
}
