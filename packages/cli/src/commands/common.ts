import { access, constants, readdir, realpath, stat } from 'node:fs/promises';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { Option } from 'commander';
import {
  abortError,
  BACKEND_PREFERENCE,
  isSeed,
  MAX_SEED,
  selectBackend,
  toModelAdapter,
  type BackendChoice,
  type BackendName,
  type ModelAdapter,
} from '@unlearn/core';
import { isPathInside, loadModel } from '@unlearn/core/node';
import { usageError } from '../exit-codes.js';
import type { Output } from '../io.js';
import { outNotWritable } from '../out-lock.js';

// WebGL needs a browser; a command line in Node can only use the others.
const NODE_BACKENDS = BACKEND_PREFERENCE.filter((b) => b !== 'webgl');

export const backendOption = () =>
  new Option('--backend <name>', `tfjs backend (default: the first that works of ${NODE_BACKENDS.join(', ')})`).choices([
    ...NODE_BACKENDS,
  ]);

export async function useBackend(name: string | undefined, out: Output): Promise<BackendChoice> {
  const choice = await selectBackend(name ? { backend: name as BackendName } : { prefer: NODE_BACKENDS });
  if (!name && choice.skipped.length) {
    out.status(`backend: ${choice.name} (skipped ${choice.skipped.map((s) => s.name).join(', ')})`);
  }
  return choice;
}

/** `--seed`: what core's `isSeed` accepts (the rule lives there), said with the flag's name. */
export function parseSeed(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = value.trim() === '' ? Number.NaN : Number(value);
  if (!isSeed(n)) throw usageError(`--seed must be a non-negative integer no larger than ${MAX_SEED} (got "${value}")`);
  return n;
}

export function parsePositiveInt(flag: string, value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw usageError(`${flag} must be a positive integer (got "${value}")`);
  return n;
}

export function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw abortError(signal.reason);
}

/** `--a` given without `--b` (e.g. --retain-labels without --retain) is a usage error. */
export function requirePair(flags: Record<string, unknown>, dependent: string, on: string): void {
  const key = (f: string) => f.replace(/^--/, '').replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
  if (flags[key(dependent)] !== undefined && flags[key(on)] === undefined) throw usageError(`${dependent} needs ${on}`);
}

export interface LoadedModel {
  path: string;
  adapter: ModelAdapter;
}

export async function openModel(given: string, cwd: string): Promise<LoadedModel> {
  const model = await loadModel(resolve(cwd, given));
  return { path: given, adapter: toModelAdapter(model) };
}

/** The real path of `path`, following links, also when it does not exist yet (its nearest existing parent is resolved). */
async function realPathOf(path: string): Promise<string> {
  let head = resolve(path);
  const tail: string[] = [];
  for (;;) {
    try {
      return join(await realpath(head), ...tail.reverse());
    } catch {
      const parent = dirname(head);
      if (parent === head) return resolve(path);
      tail.push(basename(head));
      head = parent;
    }
  }
}

/** The folder a model lives in, given as its folder or as its model.json (under any name). */
export async function modelFolder(path: string): Promise<string> {
  return (await stat(path).then((s) => s.isFile(), () => false)) ? dirname(path) : path;
}

/**
 * Checks `--out` before any work, on real paths (links followed): it may not be the current
 * folder, nor equal, contain or lie inside the input model's folder or any input path in
 * `protect`. An existing non-empty folder is replaced only with `--force`, and only when it holds
 * `marker` (the file this command writes, e.g. a deletion record): never a folder of other files.
 */
export async function checkOutDir(full: string, given: string, force: boolean, protect: string[], marker: string, cwd: string): Promise<void> {
  const out = await realPathOf(full);
  if (isPathInside(await realPathOf(cwd), out)) throw usageError(`--out ${given} is the current folder or one above it; name a new folder for the output`);
  for (const p of protect) {
    const input = await realPathOf(p);
    if (isPathInside(out, input) || isPathInside(input, out)) {
      throw usageError(`--out ${given} overlaps an input (${p}); write the output to a folder of its own`);
    }
  }
  await checkWritable(out, given, cwd);
  let entries: string[];
  try {
    if (!(await stat(out)).isDirectory()) throw usageError(`--out ${given} exists and is not a folder`);
    entries = await readdir(out);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw error;
  }
  if (entries.length === 0) return;
  if (!force) throw usageError(`--out ${given} already exists and is not empty; pass --force to replace it`);
  if (!entries.includes(marker)) {
    throw usageError(`--out ${given} is not an earlier output of this command (no ${marker} in it); --force only replaces those, so nothing was deleted`);
  }
}

/**
 * The output is written beside `out` (a temporary sibling, then a rename), so its nearest existing
 * parent must be a folder this user may write in: said now, not as a raw EACCES after the run.
 */
async function checkWritable(out: string, given: string, cwd: string): Promise<void> {
  let folder = dirname(out);
  for (;;) {
    const found = await stat(folder).catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT' || error.code === 'ENOTDIR') return undefined;
      throw outNotWritable(given, folder, error);
    });
    if (found) {
      if (!found.isDirectory()) throw usageError(`--out ${given}: ${relative(cwd, folder) || folder} is a file, not a folder`);
      break;
    }
    const up = dirname(folder);
    if (up === folder) return;
    folder = up;
  }
  await access(folder, constants.W_OK | constants.X_OK).catch((error: unknown) => {
    throw outNotWritable(given, folder, error);
  });
}
