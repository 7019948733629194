import { readFile, stat } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { hashWeights, isUnlearnError, toModelAdapter } from '@unlearn/core';
import { fileInsideFolder, loadModel } from '@unlearn/core/node';
import { badInput } from './exit-codes.js';
import { combinedSha256, sha256 } from './hash.js';
import { digestImageFolder } from './images.js';
import type { DeletionRecord, ModelRecord } from './record.js';

export interface VerifyCheck {
  /** What was compared, e.g. "after: weights.bin". */
  name: string;
  ok: boolean;
  expected?: string;
  actual?: string;
  /** Why the check failed when there is no hash to show (missing file, unreadable model). */
  problem?: string;
}

export interface VerifyTargets {
  /** The unlearned model; defaults to the record's folder. */
  model?: string;
  /** The model before unlearning, to check the "before" hashes. */
  original?: string;
  /** The forget data file or image folder, to check it is the one the record names. */
  forget?: string;
  /** The forget labels file. */
  labels?: string;
}

export interface VerifyResult {
  ok: boolean;
  record: string;
  recordId: string;
  checks: VerifyCheck[];
}

export async function readRecord(path: string): Promise<DeletionRecord> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw badInput('BAD_PATH', `--record ${path}: cannot read the file (${(error as Error).message})`, error);
  }
  let record: DeletionRecord;
  try {
    record = JSON.parse(text) as DeletionRecord;
  } catch (error) {
    throw badInput('CORRUPT_FILE', `--record ${path} is not valid JSON (${(error as Error).message})`, error);
  }
  if (record?.format !== 'unlearn-deletion-record' || !record.model?.after || !record.model?.before) {
    throw badInput('CORRUPT_FILE', `--record ${path} is not an unlearn deletion record`);
  }
  return record;
}

const compare = (name: string, expected: string | undefined, actual: string): VerifyCheck => ({
  name,
  ok: expected !== undefined && expected === actual,
  ...(expected !== undefined ? { expected } : { problem: 'the record has no hash for it' }),
  actual,
});

async function modelChecks(label: string, dir: string, expected: ModelRecord): Promise<VerifyCheck[]> {
  const checks: VerifyCheck[] = [];
  for (const f of expected.files) {
    const name = `${label}: ${f.path}`;
    try {
      // A record is a file like any other: a path in it never reads outside the model folder.
      const file = await fileInsideFolder(dir, f.path, 'the deletion record\'s model file');
      checks.push(compare(name, f.sha256, sha256(await readFile(file))));
    } catch (error) {
      const why = isUnlearnError(error) ? error.message : `cannot read ${join(dir, f.path)} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`;
      checks.push({ name, ok: false, expected: f.sha256, problem: why });
    }
  }
  const name = `${label}: weights`;
  try {
    const model = await loadModel(dir);
    const hash = await hashWeights(toModelAdapter(model));
    model.dispose();
    checks.push(compare(name, expected.weightsSha256, hash));
  } catch (error) {
    checks.push({ name, ok: false, expected: expected.weightsSha256, problem: (error as Error).message });
  }
  return checks;
}

async function dataHash(path: string): Promise<string> {
  if ((await stat(path)).isDirectory()) return combinedSha256(await digestImageFolder(path));
  return sha256(await readFile(path));
}

/**
 * Recomputes the hashes a deletion record holds and compares them: the unlearned model's
 * files and weights, and optionally the original model and the forget data.
 */
export async function verifyRecord(recordPath: string, targets: VerifyTargets, cwd: string): Promise<VerifyResult> {
  const full = resolve(cwd, recordPath);
  const record = await readRecord(full);
  const checks = await modelChecks('after', resolve(cwd, targets.model ?? dirname(full)), record.model.after);
  if (targets.original) checks.push(...(await modelChecks('before', resolve(cwd, targets.original), record.model.before)));
  const data: [string, string | undefined, string | undefined][] = [
    ['forget data', targets.forget, record.request?.forget?.inputs?.sha256],
    ['forget labels', targets.labels, record.request?.forget?.labels?.sha256],
  ];
  for (const [name, given, expected] of data) {
    if (!given) continue;
    try {
      checks.push(compare(name, expected, await dataHash(resolve(cwd, given))));
    } catch (error) {
      checks.push({ name, ok: false, ...(expected ? { expected } : {}), problem: `cannot read ${given} (${(error as Error).message})` });
    }
  }
  return { ok: checks.every((c) => c.ok), record: recordPath, recordId: record.id, checks };
}
