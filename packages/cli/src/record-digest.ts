import { stableJson } from '@unlearn/core';
import { sha256 } from './hash.js';

/** SHA-256 over the record's canonical JSON, held in the record itself. */
export interface RecordDigest {
  algorithm: 'sha256';
  value: string;
}

/**
 * The digest of a record: SHA-256 over its canonical JSON (sorted keys, no whitespace) with the
 * `digest` and `signature` fields left out, so every other field, present or added later, is covered.
 * The record goes through JSON first: what `forget` holds in memory (a NaN, an undefined field) must
 * hash the same as what `verify` reads back from the file.
 */
export function recordDigest(record: object): RecordDigest {
  const { digest: _digest, signature: _signature, ...covered } = JSON.parse(JSON.stringify(record)) as Record<string, unknown>;
  return { algorithm: 'sha256', value: sha256(stableJson(covered)) };
}
