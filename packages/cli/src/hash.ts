import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';

export function sha256(bytes: Uint8Array | string): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** A file's identity in a deletion record: its path, size and SHA-256, never its content. */
export interface FileDigest {
  path: string;
  bytes: number;
  sha256: string;
}

export function digestOf(path: string, bytes: Uint8Array): FileDigest {
  return { path, bytes: bytes.byteLength, sha256: sha256(bytes) };
}

export async function digestFile(path: string, label = path): Promise<FileDigest> {
  return digestOf(label, await readFile(path));
}

/** One hash over several files, order-sensitive, so a folder is identified by a single value. */
export function combinedSha256(files: readonly FileDigest[]): string {
  return sha256(files.map((f) => `${f.sha256}  ${f.path}\n`).join(''));
}
