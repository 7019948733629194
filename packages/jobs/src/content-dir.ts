import { randomBytes } from 'node:crypto';
import { readdir, rename, rm, stat } from 'node:fs/promises';
import { hostname } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { isProcessAlive, writeDirAtomically } from '@unlearn/core/node';

/** Where a store says what it did on its own (removing what a killed writer left). */
export type StoreLog = (message: string) => void;

export const defaultStoreLog: StoreLog = (message) => console.warn(message);

const exists = (path: string) =>
  stat(path).then(
    () => true,
    () => false,
  );

/**
 * Puts a content-addressed folder in place once: `fill` writes a private folder (flushed to disk by
 * core's writeDirAtomically), which one rename then makes visible. Content under a hash never
 * changes, so a second writer of the same name (a duplicate completion, another machine) finds the
 * place taken and drops its copy. Returns whether this call put it there.
 *
 * Not writeDirAtomically on the final name: that replaces what is there, and its recovery removes
 * siblings whose writer's pid is not alive *on this machine* — on a folder shared between machines
 * that would delete another machine's write in progress.
 */
export async function putOnce(dir: string, fill: (tmp: string) => Promise<void>, log: StoreLog = defaultStoreLog): Promise<boolean> {
  await removeDeadParts(dirname(dir), log);
  if (await exists(dir)) return false;
  const part = privateSibling(dir);
  try {
    await writeDirAtomically(part, fill);
    return await publish(part, dir);
  } finally {
    await rm(part, { recursive: true, force: true });
  }
}

/** A hidden, never-shared name beside `dir` (host, pid and random bits: unique across machines). */
export function privateSibling(dir: string): string {
  return join(dirname(dir), `.${basename(dir)}.part-${hostname()}-${process.pid}-${randomBytes(4).toString('hex')}`);
}

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * Removes the private folders that writers on this machine left when they were killed: a
 * `privateSibling` (or the temporary folder writeDirAtomically fills for it) whose pid no longer
 * runs here. Another machine's folders are never touched, whatever their pid: a pid says nothing
 * about a process elsewhere, and that write may be in progress. (Machines sharing a store must
 * have distinct host names, as they do for the workers' names.)
 */
export async function removeDeadParts(parent: string, log: StoreLog = defaultStoreLog): Promise<string[]> {
  const mine = new RegExp(`^\\.\\.?.+\\.part-${escapeRegExp(hostname())}-(\\d+)-[0-9a-f]{8}(?:\\.tmp-\\d+-\\d+-[0-9a-z]+)?$`);
  const removed: string[] = [];
  let entries: string[];
  try {
    entries = await readdir(parent);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return removed;
    throw error;
  }
  for (const name of entries) {
    const pid = Number(mine.exec(name)?.[1]);
    if (!pid || isProcessAlive(pid)) continue;
    await rm(join(parent, name), { recursive: true, force: true });
    removed.push(name);
    log(`jobs: removed ${join(parent, name)}, left by process ${pid} on this machine, which was stopped while writing it`);
  }
  return removed;
}

/** Renames a complete private folder to `dir` unless `dir` already holds the same content. */
export async function publish(part: string, dir: string): Promise<boolean> {
  try {
    await rename(part, dir);
    return true;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOTEMPTY' || code === 'EEXIST') return false;
    throw error;
  }
}

/** Names of the finished entries of a content folder (private `.…part-…` folders excluded). */
export async function contentNames(dir: string): Promise<string[]> {
  try {
    return (await readdir(dir)).filter((name) => !name.startsWith('.'));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
}
