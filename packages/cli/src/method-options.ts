import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { FORBIDDEN_KEYS, parseText, type OptionsSchema } from '@unlearn/core';
import { badInput, usageError } from './exit-codes.js';

type Json = Record<string, unknown>;

/** `--set` values: JSON when they parse (numbers, booleans, arrays), otherwise plain strings. */
export const parseSetValue = parseText;

function isPlainObject(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * Applies `key=value` pairs; dotted keys (`schedule.lr=0.1`) build nested objects. A top-level
 * option is read by the method's schema when there is one (`--set preset=1` stays a string).
 */
export function applySets(base: Json, pairs: readonly string[], schema?: OptionsSchema<any>): Json {
  const out: Json = structuredClone(base);
  for (const pair of pairs) {
    const eq = pair.indexOf('=');
    if (eq <= 0) throw usageError(`--set expects key=value (got "${pair}")`);
    const path = pair.slice(0, eq).split('.');
    if (path.some((k) => k.length === 0)) throw usageError(`--set key "${pair.slice(0, eq)}" has an empty part`);
    const forbidden = path.find((k) => FORBIDDEN_KEYS.has(k));
    if (forbidden) throw usageError(`--set key "${pair.slice(0, eq)}": "${forbidden}" is not an option name`);
    let target = out;
    for (const key of path.slice(0, -1)) {
      if (!isPlainObject(target[key])) target[key] = {};
      target = target[key] as Json;
    }
    const text = pair.slice(eq + 1);
    target[path[path.length - 1]!] = path.length === 1 && schema ? schema.fromText(path[0]!, text) : parseSetValue(text);
  }
  return out;
}

/** Method options from `--options file.json`, then `--set` overrides. */
export async function methodOptions(
  file: string | undefined,
  sets: readonly string[],
  cwd: string,
  schema?: OptionsSchema<any>,
): Promise<Json> {
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
  return applySets(base, sets, schema);
}
