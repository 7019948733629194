import { createPrivateKey, createPublicKey, sign, verify, type KeyObject } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { badInput } from './exit-codes.js';
import { sha256 } from './hash.js';
import type { RecordDigest } from './record-digest.js';

/** An Ed25519 signature over a record's digest. */
export interface RecordSignature {
  algorithm: 'ed25519';
  /** SHA-256 of the public key (DER, SubjectPublicKeyInfo), to tell which key signed. */
  publicKeySha256: string;
  /** The signature, base64. */
  value: string;
}

/**
 * What is signed: the digest, prefixed so that a signature made for a deletion record can never pass
 * as one over some other text signed with the same key.
 */
export function signedMessage(digest: RecordDigest): Buffer {
  return Buffer.from(`unlearn-deletion-record ${digest.algorithm}:${digest.value}`, 'utf8');
}

export function publicKeySha256(key: KeyObject): string {
  return sha256(key.export({ type: 'spki', format: 'der' }));
}

async function readKeyFile(flag: string, given: string, cwd: string): Promise<Buffer> {
  try {
    return await readFile(resolve(cwd, given));
  } catch (error) {
    throw badInput('BAD_PATH', `${flag} ${given}: cannot read the file (${(error as Error).message})`, error);
  }
}

// Neither the key's text nor crypto's parse error (which may quote it) ever reaches a message.
function notEd25519(flag: string, given: string, kind: string, cause?: unknown) {
  return badInput('BAD_KEY', `${flag} ${given} is not an Ed25519 ${kind} key in PEM (unencrypted)`, cause);
}

/** The `--sign-key` file: an unencrypted Ed25519 private key in PEM (`openssl genpkey -algorithm ed25519`). */
export async function readSigningKey(given: string, cwd: string): Promise<KeyObject> {
  const pem = await readKeyFile('--sign-key', given, cwd);
  let key: KeyObject;
  try {
    key = createPrivateKey({ key: pem, format: 'pem' });
  } catch (error) {
    throw notEd25519('--sign-key', given, 'private', error);
  } finally {
    pem.fill(0);
  }
  if (key.asymmetricKeyType !== 'ed25519') throw notEd25519('--sign-key', given, 'private');
  return key;
}

/** The `--public-key` file: an Ed25519 public key in PEM (`openssl pkey -pubout`). */
export async function readPublicKey(given: string, cwd: string): Promise<KeyObject> {
  const pem = await readKeyFile('--public-key', given, cwd);
  let key: KeyObject;
  try {
    key = createPublicKey({ key: pem, format: 'pem' });
  } catch (error) {
    throw notEd25519('--public-key', given, 'public', error);
  }
  if (key.asymmetricKeyType !== 'ed25519') throw notEd25519('--public-key', given, 'public');
  return key;
}

export function signDigest(digest: RecordDigest, privateKey: KeyObject): RecordSignature {
  return {
    algorithm: 'ed25519',
    publicKeySha256: publicKeySha256(createPublicKey(privateKey)),
    value: sign(null, signedMessage(digest), privateKey).toString('base64'),
  };
}

/** Why the signature does not hold for this digest and key, or undefined when it does. */
export function signatureProblem(digest: RecordDigest, signature: RecordSignature | undefined, key: KeyObject): string | undefined {
  if (!signature) return 'the record is not signed';
  if (signature.algorithm !== 'ed25519') return `unsupported signature algorithm "${String(signature.algorithm)}"`;
  const bytes = Buffer.from(String(signature.value), 'base64');
  if (verify(null, signedMessage(digest), key, bytes)) return undefined;
  return signature.publicKeySha256 && signature.publicKeySha256 !== publicKeySha256(key)
    ? `signed with another key (public key SHA-256 ${signature.publicKeySha256.slice(0, 16)}…)`
    : 'the signature does not match the record';
}
