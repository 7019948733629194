import { generateKeyPairSync } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli, removeDir, tempDir } from './helpers.js';

const HASH = 'a'.repeat(64);
/** The fields verify reads, well-formed; each case breaks one. */
const wellFormed = () => ({
  format: 'unlearn-deletion-record',
  version: 2,
  id: 'r1',
  model: {
    before: { path: 'model', weightsSha256: HASH, files: [{ path: 'model.json', sha256: HASH }] },
    after: { path: 'out', weightsSha256: 'b'.repeat(64), files: [{ path: 'model.json', sha256: HASH }] },
  },
  digest: { algorithm: 'sha256', value: HASH },
  signature: { algorithm: 'ed25519', publicKeySha256: HASH, value: 'AAAA' },
});
type Record_ = ReturnType<typeof wellFormed> & Record<string, unknown>;

let dir = '';
beforeAll(async () => {
  dir = await tempDir('unlearn-verify-malformed-');
  await writeFile(join(dir, 'pub.pem'), generateKeyPairSync('ed25519').publicKey.export({ type: 'spki', format: 'pem' }));
});
afterAll(async () => {
  await removeDir(dir);
});

const cases: [string, (r: Record_) => void, RegExp][] = [
  ['files that is not a list', (r) => {
    (r.model.after as Record<string, unknown>).files = null;
  }, /model\.after\.files is not a list/],
  ['a file hash that is a number', (r) => {
    (r.model.after.files[0] as Record<string, unknown>).sha256 = 5;
  }, /model\.after\.files\[0\]\.sha256 is not a string/],
  ['a file entry that is a string', (r) => {
    (r.model.before.files as unknown[])[0] = 'model.json';
  }, /model\.before\.files\[0\] is not an object/],
  ['a "before" model that is a string', (r) => {
    (r.model as Record<string, unknown>).before = 'model';
  }, /model\.before is not an object/],
  ['weights hash missing', (r) => {
    delete (r.model.after as Partial<typeof r.model.after>).weightsSha256;
  }, /model\.after\.weightsSha256 is not a string/],
  ['a digest that is a string', (r) => {
    (r as Record<string, unknown>).digest = HASH;
  }, /digest is not an object/],
  ['a signature key hash that is a number', (r) => {
    (r.signature as Record<string, unknown>).publicKeySha256 = 42;
  }, /signature\.publicKeySha256 is not a string/],
];

describe('verify of a record whose fields have the wrong types', () => {
  it('[bad input] a deletion record whose model files are not a list, a file hash or weights hash not a string, a model, digest or signature of the wrong type → CORRUPT_FILE (exit 3) naming the field, not a crash', async () => {
    for (const [name, edit, field] of cases) {
      const record = wellFormed() as Record_;
      edit(record);
      const file = `${name.replace(/\W+/g, '-')}.json`;
      await writeFile(join(dir, file), JSON.stringify(record));
      const run = await cli(['verify', '--record', file, '--public-key', 'pub.pem', '--backend', 'cpu', '--json'], dir);
      expect(run.code, name).toBe(3);
      const error = run.json<{ error: { code: string; message: string } }>().error;
      expect(error.code, name).toBe('CORRUPT_FILE');
      expect(error.message, name).toMatch(field);
    }
  });
});
