import { readFile } from 'node:fs/promises';
import { isAbsolute, relative, sep } from 'node:path';
import { registrations, type Registration } from '@unlearn/core';
import { sha256 } from './hash.js';
import { importCandidate, type PluginCandidate, type PluginLoad } from './plugins.js';
import type { PluginRecord } from './record.js';

/** One plugin's import and the registrations it left behind, so each run can apply or refuse them. */
export interface PluginImport {
  load: PluginLoad;
  registered: Map<string, Registration>;
}

/**
 * Hashes a plugin's entry file, imports it, and notes every name whose registration changed:
 * the registry's `source` is whatever the plugin claims, so only the diff says what it did.
 * `importCandidate` refuses an entry that is not a file, so every plugin imported was hashed.
 */
export async function importPlugin(candidate: PluginCandidate, root: string): Promise<PluginImport> {
  let identity: Pick<PluginLoad, 'file' | 'sha256'> = {};
  if (isAbsolute(candidate.entry)) {
    try {
      identity = { file: relative(root, candidate.entry).split(sep).join('/'), sha256: sha256(await readFile(candidate.entry)) };
    } catch (error) {
      return { load: { ...candidate, ok: false, error: (error as Error).message.split('\n')[0] }, registered: new Map() };
    }
  }
  const before = registrations();
  const load = await importCandidate(candidate);
  const registered = new Map([...registrations()].filter(([name, r]) => before.get(name) !== r));
  return { load: { ...load, ...identity, methods: [...registered.keys()] }, registered };
}

/**
 * The deletion record's `plugins`: each plugin whose file was imported, whether or not it loaded.
 * A load without a file and hash was never imported (unresolved, or its file unreadable).
 */
export function pluginRecords(loads: readonly PluginLoad[]): PluginRecord[] {
  return loads
    .filter((l) => l.from !== 'first-party' && l.file !== undefined && l.sha256 !== undefined)
    .map((l) => ({
      name: l.name,
      ...(l.version ? { version: l.version } : {}),
      entry: l.file!,
      sha256: l.sha256!,
      methods: l.methods ?? [],
      ...(l.ok ? {} : { error: l.error ?? 'failed to load' }),
    }));
}
