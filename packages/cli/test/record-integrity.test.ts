import { generateKeyPairSync } from 'node:crypto';
import { copyFile, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { noopUnlearner, registerUnlearner, unregisterUnlearner } from '@unlearn/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { recordDigest, type DeletionRecord, type VerifyResult } from '../src/index.js';
import { cli, entries, useWorkspace } from './helpers.js';

const workspace = useWorkspace();
const DATA = [
  '--retain', 'retain.npy', '--retain-labels', 'retain-labels.npy',
  '--train', 'train.json', '--train-labels', 'train-labels.json',
  '--eval-data', 'test.json', '--eval-labels', 'test-labels.json',
];

let signed: DeletionRecord;

const readJson = async (path: string) => JSON.parse(await readFile(join(workspace().dir, path), 'utf8')) as DeletionRecord;
/** Writes `record` as `path`; `reseal` recomputes the digest the way a forger without the key could. */
async function writeRecord(path: string, record: DeletionRecord, reseal = false): Promise<string> {
  if (reseal) record.digest = recordDigest(record);
  await writeFile(join(workspace().dir, path), JSON.stringify(record, null, 2));
  return path;
}
const copy = (r: DeletionRecord) => structuredClone(r);

async function verify(record: string, ...extra: string[]) {
  const run = await cli(['verify', '--record', record, '--backend', 'cpu', '--json', ...extra], workspace().dir);
  const result = run.json<VerifyResult>();
  return { ...run, result, failed: result.checks.filter((c) => !c.ok).map((c) => c.name) };
}

beforeAll(async () => {
  const dir = workspace().dir;
  const pair = () => generateKeyPairSync('ed25519');
  const mine = pair();
  await writeFile(join(dir, 'key.pem'), mine.privateKey.export({ type: 'pkcs8', format: 'pem' }));
  await writeFile(join(dir, 'pub.pem'), mine.publicKey.export({ type: 'spki', format: 'pem' }));
  await writeFile(join(dir, 'other-pub.pem'), pair().publicKey.export({ type: 'spki', format: 'pem' }));
  await writeFile(join(dir, 'not-a-key.pem'), 'SECRET-PASSPHRASE-123\n');
});

describe('the record digest', () => {
  it('is the same for the same fields in any order, covers every field but digest and signature', () => {
    const a = { b: 1, a: { y: [1, 2], x: 'z' } };
    const b = { a: { x: 'z', y: [1, 2] }, b: 1, digest: { algorithm: 'sha256', value: 'x' }, signature: { value: 'y' } };
    expect(recordDigest(a)).toEqual(recordDigest(b));
    expect(recordDigest({ ...a, plugins: [] })).not.toEqual(recordDigest(a));
    // What forget holds in memory hashes as what verify reads back from the file.
    const live = { evidence: { mia: Number.NaN, skipped: undefined } };
    expect(recordDigest(live)).toEqual(recordDigest(JSON.parse(JSON.stringify(live)) as object));
  });
});

describe('forget --sign-key and verify', () => {
  it('writes a version 2 record with a digest and an Ed25519 signature, and never prints the key', async () => {
    const run = await cli(['forget', '--model', 'model', '--forget', 'forget.npy', '--labels', 'forget-labels.npy', ...DATA, '--method', 'jit', '--backend', 'cpu', '--sign-key', 'key.pem', '--out', 'out-jit'], workspace().dir);
    expect(run.stderr).not.toMatch(/error/);
    expect(run.code).toBe(0);
    signed = await readJson('out-jit/deletion-record.json');
    expect(signed.version).toBe(2);
    expect(signed.digest).toEqual(recordDigest(signed));
    expect(signed.signature).toMatchObject({ algorithm: 'ed25519', publicKeySha256: expect.stringMatching(/^[0-9a-f]{64}$/) });
    const key = await readFile(join(workspace().dir, 'key.pem'), 'utf8');
    const secret = key.split('\n')[1]!;
    for (const text of [run.stdout, run.stderr, JSON.stringify(signed), await readFile(join(workspace().dir, 'out-jit/deletion-record.md'), 'utf8')]) {
      expect(text).not.toContain(secret);
      expect(text).not.toContain('PRIVATE KEY');
    }
    expect(await readFile(join(workspace().dir, 'out-jit/deletion-record.md'), 'utf8')).toContain(signed.digest!.value);

    const ok = await verify('out-jit/deletion-record.json', '--public-key', 'pub.pem', '--original', 'model');
    expect(ok.code).toBe(0);
    expect(ok.failed).toEqual([]);
    expect(ok.result.checks.map((c) => c.name)).toEqual(expect.arrayContaining(['record digest', 'signature', 'weights changed']));
  });

  it('[evidence] a deletion record with an edited seed, option, evidence value, environment or method → verify fails "record digest" (exit 3), and only that check', async () => {
    const edits: [string, (r: DeletionRecord) => void][] = [
      ['seed', (r) => (r.seed = 7)],
      ['option', (r) => ((r.method.options as Record<string, unknown>).epochs = 5)],
      ['evidence', (r) => (r.evidence.forgetAccuracy!.after = 0)],
      ['environment', (r) => (r.environment.backend = 'tensorflow')],
      ['method', (r) => (r.method.name = 'retrain')],
    ];
    for (const [what, edit] of edits) {
      const record = copy(signed);
      edit(record);
      const run = await verify(await writeRecord(`out-jit/edited-${what}.json`, record));
      expect(run.code, what).toBe(3);
      // Only the digest catches it: every file the record names is untouched.
      expect(run.failed, what).toEqual(['record digest']);
    }
  });

  it('[evidence] a record edited and resealed (digest recomputed) without the key, signed by another key, or not signed → verify --public-key fails "signature" (exit 3)', async () => {
    const resealed = copy(signed);
    resealed.seed = 7;
    const forged = await verify(await writeRecord('out-jit/resealed.json', resealed, true), '--public-key', 'pub.pem');
    expect(forged.code).toBe(3);
    expect(forged.failed).toEqual(['signature']);
    expect(forged.result.checks.find((c) => c.name === 'signature')!.problem).toMatch(/does not match the record/);
    // Without the key the digest holds: a digest alone is no defence against whoever can write the record.
    expect((await verify('out-jit/resealed.json')).code).toBe(0);

    const other = await verify('out-jit/deletion-record.json', '--public-key', 'other-pub.pem');
    expect(other.code).toBe(3);
    expect(other.failed).toEqual(['signature']);
    expect(other.result.checks.find((c) => c.name === 'signature')!.problem).toMatch(/signed with another key/);

    const unsigned = copy(signed);
    delete unsigned.signature;
    const path = await writeRecord('out-jit/unsigned.json', unsigned);
    const missing = await verify(path, '--public-key', 'pub.pem');
    expect(missing.code).toBe(3);
    expect(missing.result.checks.find((c) => c.name === 'signature')!.problem).toMatch(/not signed/);
    expect((await verify(path)).code).toBe(0);

    const signedNoKey = await verify('out-jit/deletion-record.json');
    expect(signedNoKey.code).toBe(0);
    expect(signedNoKey.stderr).toMatch(/signed; pass --public-key/);
  });

  it('[evidence] a forged record whose output is the original model, every hash and the digest recomputed → verify fails "weights changed" (exit 3)', async () => {
    const dir = workspace().dir;
    await mkdir(join(dir, 'forged'));
    const forged = copy(signed);
    for (const f of forged.model.before.files) await copyFile(join(dir, 'model', f.path), join(dir, 'forged', f.path));
    forged.model.after = { path: 'forged', weightsSha256: forged.model.before.weightsSha256, files: forged.model.before.files };
    delete forged.signature;
    const run = await verify(await writeRecord('forged/deletion-record.json', forged, true), '--original', 'model', '--forget', 'forget.npy');
    expect(run.code).toBe(3);
    // Every hash matches; only the record's claim that weights changed gives it away.
    expect(run.failed).toEqual(['weights changed']);
    expect(run.result.checks.find((c) => c.name === 'weights changed')!.problem).toMatch(/"after" weights are the "before" weights.*parameters changed/);
  });

  it('[evidence] verify given retain, train or evaluation data other than the run\'s, or data the record has no hash for → those checks fail (exit 3)', async () => {
    const ok = await verify('out-jit/deletion-record.json', '--labels', 'forget-labels.npy', ...DATA);
    expect(ok.code).toBe(0);
    expect(ok.result.checks.map((c) => c.name)).toEqual(
      expect.arrayContaining(['forget labels', 'retain data', 'retain labels', 'train data', 'train labels', 'evaluation data', 'evaluation labels']),
    );

    const swapped = await verify('out-jit/deletion-record.json', '--retain', 'train.json', '--eval-labels', 'retain-labels.npy');
    expect(swapped.code).toBe(3);
    expect(swapped.failed).toEqual(['retain data', 'evaluation labels']);

    const absent = await verify('out-jit/deletion-record.json', '--validation', 'test.json');
    expect(absent.code).toBe(3);
    expect(absent.result.checks.find((c) => c.name === 'validation data')!.problem).toMatch(/no hash for it/);
  });

  it('[evidence] a version 2 record whose digest was removed → verify fails "record digest" (exit 3); a version 1 record (no digest) passes with a warning, a version 3 one is UNSUPPORTED_VERSION (exit 3)', async () => {
    const v1 = copy(signed) as DeletionRecord & { version: number };
    v1.version = 1;
    delete v1.digest;
    delete v1.signature;
    const old = await verify(await writeRecord('out-jit/v1.json', v1));
    expect(old.code).toBe(0);
    expect(old.result.checks.map((c) => c.name)).not.toContain('record digest');
    expect(old.result.warnings.join('\n')).toMatch(/no digest: fields not covered/);
    expect(old.stderr).toMatch(/warning: no digest: fields not covered/);

    const stripped = copy(signed);
    delete stripped.digest;
    const run = await verify(await writeRecord('out-jit/stripped.json', stripped));
    expect(run.code).toBe(3);
    expect(run.failed).toEqual(['record digest']);

    const future = copy(signed) as unknown as { version: number };
    future.version = 3;
    const newer = await cli(['verify', '--record', await writeRecord('out-jit/v3.json', future as unknown as DeletionRecord), '--backend', 'cpu', '--json'], workspace().dir);
    expect(newer.code).toBe(3);
    expect(newer.json<{ error: { code: string } }>().error.code).toBe('UNSUPPORTED_VERSION');
  });

  it('[security] a --sign-key that is a public key, not a key at all, or missing; a --public-key that is not a key → BAD_KEY or BAD_PATH (exit 3) before any work; the file\'s text never quoted, no output written', async () => {
    for (const [key, code] of [['pub.pem', 'BAD_KEY'], ['not-a-key.pem', 'BAD_KEY'], ['missing.pem', 'BAD_PATH']] as const) {
      const run = await cli(['forget', '--model', 'model', '--forget', 'forget.npy', '--method', 'jit', '--backend', 'cpu', '--sign-key', key, '--out', 'out-bad-key', '--json'], workspace().dir);
      expect(run.code, key).toBe(3);
      const error = run.json<{ error: { code: string; message: string } }>().error;
      expect(error.code, key).toBe(code);
      expect(error.message, key).toContain(`--sign-key ${key}`);
      expect(run.stdout + run.stderr).not.toContain('SECRET-PASSPHRASE');
    }
    expect(await entries(workspace().dir)).not.toContain('out-bad-key');
    const badPublic = await cli(['verify', '--record', 'out-jit/deletion-record.json', '--public-key', 'not-a-key.pem', '--backend', 'cpu', '--json'], workspace().dir);
    expect(badPublic.code).toBe(3);
    expect(badPublic.json<{ error: { code: string } }>().error.code).toBe('BAD_KEY');
  });
});

describe('verify on a method that reports no change', () => {
  it('[evidence] a record whose before and after weights are equal but which claims changed parameters → verify fails "weights changed" (exit 3); from a method that reported no change it passes', async () => {
    registerUnlearner('noop', (options) => noopUnlearner(options));
    try {
      const run = await cli(['forget', '--model', 'model', '--forget', 'forget.npy', '--method', 'noop', '--backend', 'cpu', '--out', 'out-noop'], workspace().dir);
      expect(run.code).toBe(0);
    } finally {
      unregisterUnlearner('noop');
    }
    const record = await readJson('out-noop/deletion-record.json');
    expect(record.evidence.parameters.changed).toBe(0);
    expect(record.model.after.weightsSha256).toBe(record.model.before.weightsSha256);
    const ok = await verify('out-noop/deletion-record.json', '--original', 'model');
    expect(ok.code).toBe(0);
    expect(ok.result.checks.find((c) => c.name === 'weights changed')).toMatchObject({ ok: true, note: 'the method reported no change' });

    record.evidence.parameters.changed = 12;
    const claimed = await verify(await writeRecord('out-noop/claimed.json', record, true));
    expect(claimed.code).toBe(3);
    expect(claimed.failed).toEqual(['weights changed']);
  });
});
