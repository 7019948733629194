import { describe, expect, it } from 'vitest';
import { recordDigest } from '../src/index.js';

describe('the record digest of a field named "__proto__"', () => {
  it('[evidence] a deletion record with a "__proto__" field added (as read back from the file) → its digest differs from the record without it', () => {
    const record = { format: 'unlearn-deletion-record', id: 'r1', method: { name: 'jit' } };
    const edited = JSON.parse(`{"format":"unlearn-deletion-record","id":"r1","method":{"name":"jit"},"__proto__":{"note":"added"}}`) as object;
    const nested = JSON.parse(`{"format":"unlearn-deletion-record","id":"r1","method":{"name":"jit","__proto__":{"lr":1}}}`) as object;
    expect(recordDigest(edited).value).not.toBe(recordDigest(record).value);
    expect(recordDigest(nested).value).not.toBe(recordDigest(record).value);
  });
});
