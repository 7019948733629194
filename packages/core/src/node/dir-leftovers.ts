import { lstat, readdir, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { syncDir } from './fsync.js';
import { isProcessAlive } from './process-alive.js';

/**
 * An atomic write of `<parent>/<name>` works in two hidden siblings that share one stamp
 * (`<pid>-<ms>-<random>`): `.<name>.tmp-<stamp>` (the new content) and `.<name>.old-<stamp>` (the
 * previous content, between the two renames of a replacement). Only names of exactly this form are
 * ever restored or removed by recovery.
 */
export function newStamp(): string {
  return `${process.pid}-${Date.now()}-${Math.random().toString(36).slice(2, 8) || '0'}`;
}

export const tmpSibling = (dir: string, stamp: string) => join(dirname(dir), `.${basename(dir)}.tmp-${stamp}`);
export const oldSibling = (dir: string, stamp: string) => join(dirname(dir), `.${basename(dir)}.old-${stamp}`);

/** Stamps of the writes this process has in flight: their siblings are not leftovers, whatever their pid. */
export const writesInFlight = new Set<string>();

const STAMP = '(\\d+)-(\\d+)-([0-9a-z]+)';
const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The stamp of `dir` when it is the temporary folder of a write in flight in this process. */
export function inFlightStamp(dir: string): string | undefined {
  const match = new RegExp(`^\\..+\\.tmp-(${STAMP})$`).exec(basename(dir));
  return match && writesInFlight.has(match[1]!) ? match[1] : undefined;
}

interface Leftover {
  name: string;
  kind: 'tmp' | 'old';
  stamp: string;
  pid: number;
  ms: number;
}

function leftoversOf(name: string, entries: string[]): Leftover[] {
  const pattern = new RegExp(`^\\.${escapeRegExp(name)}\\.(tmp|old)-(${STAMP})$`);
  return entries.flatMap((entry) => {
    const m = pattern.exec(entry);
    return m ? [{ name: entry, kind: m[1] as 'tmp' | 'old', stamp: m[2]!, pid: Number(m[3]), ms: Number(m[4]) }] : [];
  });
}

/** What `recoverDir` found beside a folder and did about it. */
export interface DirRecovery {
  /** The `.old-*` sibling moved back to the folder's place, when the folder was missing. */
  restoredFrom: string | null;
  /** Leftover siblings deleted. */
  removed: string[];
  /** Siblings kept because the process that wrote them still runs (so the write may be in progress). */
  leftAlone: string[];
  /** One sentence per action, for the user. */
  messages: string[];
}

export interface RecoverDirOptions {
  /**
   * The caller holds a lock on `dir` (e.g. the CLI's `<out>.lock`), so no other process writes it:
   * siblings of another live pid are stale too (that pid was reused), not a write in progress.
   */
  exclusive?: boolean;
}

/**
 * Repairs what an interrupted `writeDirAtomically` of `dir` left behind. A kill between the two
 * renames of a replacement leaves no `dir` and the previous content in `.<name>.old-*`: that is
 * moved back. A kill before the swap leaves `.<name>.tmp-*`; one after it leaves `.<name>.old-*`
 * beside the new `dir`: both are deleted. A temporary folder is never promoted, even if it looks
 * complete: its run did not report success, so the previous output is the one to keep.
 * Leftovers of a write still in progress (this process's, or a live process's) are not touched.
 */
export async function recoverDir(dir: string, options: RecoverDirOptions = {}): Promise<DirRecovery> {
  const parent = dirname(dir);
  const report: DirRecovery = { restoredFrom: null, removed: [], leftAlone: [], messages: [] };
  let entries: string[];
  try {
    entries = await readdir(parent);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return report;
    throw error;
  }
  const found = leftoversOf(basename(dir), entries).filter((l) => !writesInFlight.has(l.stamp));
  const busy = (l: Leftover) => !options.exclusive && l.pid !== process.pid && isProcessAlive(l.pid);
  for (const l of found.filter(busy)) {
    report.leftAlone.push(l.name);
    report.messages.push(`${dir}: left ${l.name} alone: process ${l.pid}, which wrote it, is still running`);
  }
  const stale = found.filter((l) => !busy(l));
  const present = await lstat(dir).then(
    () => true,
    (error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return false;
      throw error;
    },
  );
  // A live writer between its renames owns the empty place; restoring into it would break its swap.
  const liveSwap = found.some((l) => busy(l) && l.kind === 'old');
  if (!present && !liveSwap) {
    const newest = stale.filter((l) => l.kind === 'old').sort((a, b) => b.ms - a.ms || b.name.localeCompare(a.name))[0];
    if (newest) {
      await rename(join(parent, newest.name), dir);
      await syncDir(parent);
      report.restoredFrom = newest.name;
      report.messages.push(`${dir}: restored the previous output from ${newest.name}: a run that was replacing it stopped between its two renames`);
    }
  }
  const placeTaken = present || report.restoredFrom !== null;
  for (const l of stale) {
    if (l.name === report.restoredFrom) continue;
    if (l.kind === 'old' && !placeTaken) {
      // Possibly the only copy left of the output: kept until the live writer's swap settles.
      report.leftAlone.push(l.name);
      report.messages.push(`${dir}: kept ${l.name} while ${dir} is missing and another process is replacing it`);
      continue;
    }
    await rm(join(parent, l.name), { recursive: true, force: true });
    report.removed.push(l.name);
    report.messages.push(
      l.kind === 'tmp'
        ? `${dir}: removed ${l.name}, the unfinished output of a run that was interrupted`
        : `${dir}: removed ${l.name}, the previous output a run had not finished deleting`,
    );
  }
  return report;
}
