import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { badInput, usageError } from './exit-codes.js';

type Json = Record<string, unknown>;

/** `--set` values: JSON when they parse (numbers, booleans, arrays), otherwise plain strings. */
export function parseSetValue(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function isPlainObject(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Applies `key=value` pairs; dotted keys (`schedule.lr=0.1`) build nested objects. */
export function applySets(base: Json, pairs: readonly string[]): Json {
  const out: Json = structuredClone(base);
  for (const pair of pairs) {
    const eq = pair.indexOf('=');
    if (eq <= 0) throw usageError(`--set expects key=value (got "${pair}")`);
    const path = pair.slice(0, eq).split('.');
    if (path.some((k) => k.length === 0)) throw usageError(`--set key "${pair.slice(0, eq)}" has an empty part`);
    let target = out;
    for (const key of path.slice(0, -1)) {
      if (!isPlainObject(target[key])) target[key] = {};
      target = target[key] as Json;
    }
    target[path[path.length - 1]!] = parseSetValue(pair.slice(eq + 1));
  }
  return out;
}

/** Method options from `--options file.json`, then `--set` overrides. */
export async function methodOptions(file: string | undefined, sets: readonly string[], cwd: string): Promise<Json> {
  let base: Json = {};
  if (file !== undefined) {
    let text: string;
    try {
      text = await readFile(resolve(cwd, file), 'utf8');
    } catch (error) {
      throw badInput('BAD_PATH', `--options ${file}: cannot read the file (${(error as Error).message})`, error);
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (error) {
      throw badInput('CORRUPT_FILE', `--options ${file} is not valid JSON (${(error as Error).message})`, error);
    }
    if (!isPlainObject(parsed)) throw badInput('CORRUPT_FILE', `--options ${file} must hold a JSON object of method options`);
    base = parsed;
  }
  return applySets(base, sets);
}
