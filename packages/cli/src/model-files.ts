import { readFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { badInput } from './exit-codes.js';
import type { FileDigest } from './hash.js';
import { digestOf } from './hash.js';

/** model.json and the weight files its manifest names, relative to the model folder. */
export async function modelFileNames(modelPath: string): Promise<{ dir: string; names: string[] }> {
  const full = resolve(modelPath);
  const json = full.endsWith('.json') ? full : join(full, 'model.json');
  const dir = dirname(json);
  let manifest: { weightsManifest?: { paths?: string[] }[] };
  try {
    manifest = JSON.parse(await readFile(json, 'utf8')) as typeof manifest;
  } catch (error) {
    throw badInput('CORRUPT_FILE', `Cannot read the model at ${json}: ${(error as Error).message}`, error);
  }
  const weights = (manifest.weightsManifest ?? []).flatMap((g) => g.paths ?? []).map((p) => p.replace(/^\.\//, ''));
  return { dir, names: [json.slice(dir.length + 1), ...weights] };
}

/** SHA-256 of every file that makes up a saved model. */
export async function digestModelFiles(modelPath: string): Promise<{ dir: string; files: FileDigest[] }> {
  const { dir, names } = await modelFileNames(modelPath);
  const files: FileDigest[] = [];
  for (const name of names) {
    let bytes: Buffer;
    try {
      bytes = await readFile(join(dir, name));
    } catch (error) {
      throw badInput('CORRUPT_FILE', `Cannot read ${join(dir, name)}: ${(error as Error).message}`, error);
    }
    files.push(digestOf(name, bytes));
  }
  return { dir, files };
}
