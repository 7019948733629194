import { readFile, stat } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { hashWeights, isUnlearnError, toModelAdapter } from '@unlearn/core';
import { fileInsideFolder, loadModel } from '@unlearn/core/node';
import type { RequestDataFlags } from './data.js';
import { badInput } from './exit-codes.js';
import { combinedSha256, sha256 } from './hash.js';
import { digestImageFolder } from './images.js';
import { RECORD_VERSION, type DeletionRecord, type ModelRecord } from './record.js';
import { recordDigest } from './record-digest.js';
import { recordShapeProblem } from './record-shape.js';
import { readPublicKey, signatureProblem } from './record-signature.js';

export interface VerifyCheck {
  /** What was compared, e.g. "after: weights.bin". */
  name: string;
  ok: boolean;
  expected?: string;
  actual?: string;
  /** Why the check failed when there is no hash to show (missing file, unreadable model). */
  problem?: string;
  /** What a passing check without a hash rests on (e.g. "the method reported no change"). */
  note?: string;
}

/** The other data files of the request (RequestDataFlags) are each checked against their recorded hash. */
export interface VerifyTargets extends RequestDataFlags {
  /** The unlearned model; defaults to the record's folder. */
  model?: string;
  /** The model before unlearning, to check the "before" hashes. */
  original?: string;
  /** The forget data file or image folder, to check it is the one the record names. */
  forget?: string;
  /** The forget labels file. */
  labels?: string;
  /** An Ed25519 public key (PEM): the record must carry a signature by its private key. */
  publicKey?: string;
}

export interface VerifyResult {
  ok: boolean;
  record: string;
  recordId: string;
  checks: VerifyCheck[];
  /** What verify could not check and did not fail on, e.g. a version 1 record without a digest. */
  warnings: string[];
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
  if (record.version !== 1 && record.version !== RECORD_VERSION) {
    throw badInput('UNSUPPORTED_VERSION', `--record ${path} is a version ${String(record.version)} record; this unlearn reads versions 1 to ${RECORD_VERSION}`);
  }
  const problem = recordShapeProblem(record as unknown as Record<string, unknown>);
  if (problem) throw badInput('CORRUPT_FILE', `--record ${path} is not a well-formed deletion record: ${problem}`);
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

/** The digest over every field; a version 1 record has none, which is only worth a warning. */
function digestCheck(record: DeletionRecord, warnings: string[]): VerifyCheck | undefined {
  const name = 'record digest';
  if (record.digest) return compare(name, String(record.digest.value), recordDigest(record).value);
  if (record.version === 1) {
    warnings.push('no digest: fields not covered (a version 1 record): its method, options, seed, evidence and environment could have been edited unnoticed');
    return undefined;
  }
  return { name, ok: false, problem: `a version ${record.version} record carries a digest, and this one has none (removed?)` };
}

/**
 * A record whose "after" weights are the "before" weights describes no unlearning, unless the method
 * itself said it changed nothing (noop, or a request with nothing to do). This catches an output
 * swapped for the original model with the hashes recomputed; a slightly altered model passes it.
 */
function changedCheck(record: DeletionRecord): VerifyCheck {
  const name = 'weights changed';
  const changed = record.evidence?.parameters?.changed;
  if (changed === 0) return { name, ok: true, note: 'the method reported no change' };
  if (record.model.after.weightsSha256 !== record.model.before.weightsSha256) return { name, ok: true, note: 'after ≠ before' };
  return {
    name,
    ok: false,
    problem: `the "after" weights are the "before" weights, yet the record ${typeof changed === 'number' ? `says ${changed} parameters changed` : 'does not say that the method changed nothing'}`,
  };
}

async function dataHash(path: string): Promise<string> {
  if ((await stat(path)).isDirectory()) return combinedSha256(await digestImageFolder(path));
  return sha256(await readFile(path));
}

/**
 * Checks a deletion record: its digest (no field edited) and, given a public key, its signature;
 * then recomputes the hashes it holds: the unlearned model's files and weights, that they differ from
 * the original's, and optionally the original model and the request's data files.
 */
export async function verifyRecord(recordPath: string, targets: VerifyTargets, cwd: string): Promise<VerifyResult> {
  const full = resolve(cwd, recordPath);
  const record = await readRecord(full);
  const publicKey = targets.publicKey === undefined ? undefined : await readPublicKey(targets.publicKey, cwd);
  const warnings: string[] = [];
  const checks: VerifyCheck[] = [];
  const digest = digestCheck(record, warnings);
  if (digest) checks.push(digest);
  if (publicKey) {
    // Over the digest recomputed from the fields, so the signature alone proves they are unedited.
    const problem = signatureProblem(recordDigest(record), record.signature, publicKey);
    checks.push({ name: 'signature', ok: problem === undefined, ...(problem ? { problem } : { note: 'ed25519, by the given key' }) });
  } else if (record.signature) {
    warnings.push('the record is signed; pass --public-key <file> to check by whom');
  }
  checks.push(...(await modelChecks('after', resolve(cwd, targets.model ?? dirname(full)), record.model.after)));
  if (targets.original) checks.push(...(await modelChecks('before', resolve(cwd, targets.original), record.model.before)));
  checks.push(changedCheck(record));
  const request = record.request ?? {};
  const data: [string, string | undefined, string | undefined][] = [];
  const splits = [
    ['forget', targets.forget, targets.labels, request.forget],
    ['retain', targets.retain, targets.retainLabels, request.retain],
    ['train', targets.train, targets.trainLabels, request.train],
    ['evaluation', targets.evalData, targets.evalLabels, request.evaluation],
    ['validation', targets.validation, targets.validationLabels, request.validation],
  ] as const;
  for (const [role, inputs, labels, recorded] of splits) {
    data.push([`${role} data`, inputs, recorded?.inputs?.sha256], [`${role} labels`, labels, recorded?.labels?.sha256]);
  }
  for (const [name, given, expected] of data) {
    if (!given) continue;
    try {
      checks.push(compare(name, expected, await dataHash(resolve(cwd, given))));
    } catch (error) {
      checks.push({ name, ok: false, ...(expected ? { expected } : {}), problem: `cannot read ${given} (${(error as Error).message})` });
    }
  }
  return { ok: checks.every((c) => c.ok), record: recordPath, recordId: record.id, checks, warnings };
}
