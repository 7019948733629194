import { stat, readdir } from 'node:fs/promises';
import { resolve } from 'node:path';
import { Option } from 'commander';
import {
  abortError,
  BACKEND_PREFERENCE,
  selectBackend,
  toModelAdapter,
  type BackendChoice,
  type BackendName,
  type ModelAdapter,
} from '@unlearn/core';
import { loadModel } from '@unlearn/core/node';
import { usageError } from '../exit-codes.js';
import type { Output } from '../io.js';

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

export function parseSeed(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isSafeInteger(n) || n < 0) throw usageError(`--seed must be a non-negative integer (got "${value}")`);
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

/** Refuses to overwrite earlier results (a previous deletion record is audit evidence). */
export async function checkOutDir(full: string, given: string, force: boolean, protect: string[]): Promise<void> {
  for (const p of protect) {
    if (p.replace(/[\\/]model\.json$/, '') === full) {
      throw usageError(`--out ${given} is the input model's folder; write the unlearned model somewhere else`);
    }
  }
  let entries: string[];
  try {
    if (!(await stat(full)).isDirectory()) throw usageError(`--out ${given} exists and is not a folder`);
    entries = await readdir(full);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw error;
  }
  if (entries.length > 0 && !force) throw usageError(`--out ${given} already exists and is not empty; pass --force to replace it`);
}
