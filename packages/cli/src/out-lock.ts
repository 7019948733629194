import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
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

async function readLock(path: string): Promise<LockRecord | undefined> {
  try {
    const lock = JSON.parse(await readFile(path, 'utf8')) as Partial<LockRecord>;
    return lock.tool === 'unlearn' && typeof lock.pid === 'number' && typeof lock.host === 'string' ? (lock as LockRecord) : undefined;
  } catch {
    return undefined;
  }
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
      const held = await readLock(path);
      if (held && held.host === mine.host && !isProcessAlive(held.pid) && attempt === 0) {
        warn(`--out ${given}: taking over the lock of an earlier run (pid ${held.pid}, started ${held.startedAt}) that is no longer running`);
        await rm(path, { force: true });
        continue;
      }
      const owner = held ? `process ${held.pid} on ${held.host}, since ${held.startedAt}` : 'an unknown owner';
      throw usageError(`--out ${given} is being written by another unlearn run (${owner}); wait for it, or remove ${path} if no run is active`);
    }
  }
  throw usageError(`--out ${given}: could not take the lock ${path}`);
}

/** `--out` cannot be written: a usage error (exit 2) naming the folder and the system's reason. */
export function outNotWritable(given: string, folder: string, error: unknown): CliError {
  const code = (error as NodeJS.ErrnoException).code ?? 'error';
  const reason = (error as Error).message.replace(/^\w+: /, '').replace(/, \w+ '.*'$/, '');
  return new CliError('usage', 'OUT_NOT_WRITABLE', `--out ${given}: cannot write in ${folder} (${code}: ${reason})`, { cause: error });
}
