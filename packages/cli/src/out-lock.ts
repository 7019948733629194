import { randomUUID } from 'node:crypto';
import { link, mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { dirname } from 'node:path';
import { isProcessAlive } from '@unlearn/core/node';
import { CliError, usageError } from './exit-codes.js';

interface LockRecord {
  tool: 'unlearn';
  pid: number;
  host: string;
  startedAt: string;
}

interface HeldLock {
  lock: LockRecord | undefined;
  /** The file's text, to tell this lock from any other later found at the same path. */
  text: string | undefined;
}

async function readLock(path: string): Promise<HeldLock> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch {
    return { lock: undefined, text: undefined };
  }
  try {
    const lock = JSON.parse(text) as Partial<LockRecord>;
    const valid = lock.tool === 'unlearn' && typeof lock.pid === 'number' && typeof lock.host === 'string';
    return { lock: valid ? (lock as LockRecord) : undefined, text };
  } catch {
    return { lock: undefined, text };
  }
}

type Takeover = 'taken' | 'gone' | 'replaced';

/**
 * Moves the stale lock at `path` out of the way, to a name of this run's own: of several runs taking
 * over the same lock, one rename succeeds and the others find it gone (removing it instead, a late
 * run's `rm` would delete the new lock of the run that took over first). A late run may still move
 * that new lock, having judged the stale one it read; its text tells, and it is linked back
 * (link never replaces a file, so a lock taken in the meantime stays).
 */
async function moveStaleLock(path: string, staleText: string): Promise<Takeover> {
  const aside = `${path}.stale-${process.pid}-${randomUUID()}`;
  try {
    await rename(path, aside);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 'gone';
    throw error;
  }
  const moved = await readLock(aside);
  if (moved.text === staleText) {
    await rm(aside, { force: true });
    return 'taken';
  }
  await link(aside, path).catch(() => undefined);
  await rm(aside, { force: true });
  return 'replaced';
}

/**
 * Takes the output folder for this run: `<out>.lock` beside it, created exclusively (`wx`), so
 * that a second run writing the same `--out` fails at once instead of both reporting success and
 * one output being lost. A lock left by a run on this machine whose process is gone is taken over
 * (and said so); any other is reported with its owner. Returns the release function.
 */
export async function lockOutDir(outDir: string, given: string, warn: (message: string) => void): Promise<() => Promise<void>> {
  const path = `${outDir}.lock`;
  const mine: LockRecord = { tool: 'unlearn', pid: process.pid, host: hostname(), startedAt: new Date().toISOString() };
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      // The lock is the first file written beside --out, so it also proves, before any work, that
      // the output can be written there (root passes permission checks a read-only disk still fails).
      await mkdir(dirname(path), { recursive: true });
      await writeFile(path, JSON.stringify(mine), { flag: 'wx' });
      return () => rm(path, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw outNotWritable(given, dirname(path), error);
      const { lock: held, text } = await readLock(path);
      if (held && text !== undefined && held.host === mine.host && !isProcessAlive(held.pid) && attempt === 0) {
        const takeover = await moveStaleLock(path, text);
        if (takeover === 'taken') warn(`--out ${given}: taking over the lock of an earlier run (pid ${held.pid}, started ${held.startedAt}) that is no longer running`);
        // Gone: another run took it over first, and the exclusive create finds its lock.
        if (takeover !== 'replaced') continue;
        throw busyOut(given, path, (await readLock(path)).lock);
      }
      throw busyOut(given, path, held);
    }
  }
  throw usageError(`--out ${given}: could not take the lock ${path}`);
}

function busyOut(given: string, path: string, held: LockRecord | undefined): CliError {
  const owner = held ? `process ${held.pid} on ${held.host}, since ${held.startedAt}` : 'an unknown owner';
  return usageError(`--out ${given} is being written by another unlearn run (${owner}); wait for it, or remove ${path} if no run is active`);
}

/** `--out` cannot be written: a usage error (exit 2) naming the folder and the system's reason. */
export function outNotWritable(given: string, folder: string, error: unknown): CliError {
  const code = (error as NodeJS.ErrnoException).code ?? 'error';
  const reason = (error as Error).message.replace(/^\w+: /, '').replace(/, \w+ '.*'$/, '');
  return new CliError('usage', 'OUT_NOT_WRITABLE', `--out ${given}: cannot write in ${folder} (${code}: ${reason})`, { cause: error });
}
