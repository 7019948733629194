import { readFile, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { UnlearnError } from '../errors.js';
import { writeDirAtomically } from './atomic-dir.js';

const MANIFEST = 'manifest.json';
const DATA = 'tensors.bin';

interface TensorManifest<Meta> {
  format: 'unlearn-tensors';
  version: 1;
  meta: Meta;
  tensors: { name: string; shape: number[]; dtype: 'float32' | 'int32'; byteOffset: number; byteLength: number }[];
}

/**
 * Saves named tensors plus JSON metadata into `dir` (manifest.json + tensors.bin), atomically.
 * Used for importance caches and checkpoints, which are not layers models.
 */
export async function saveTensors<Meta>(dir: string, tensors: Record<string, tf.Tensor>, meta: Meta): Promise<void> {
  const entries: TensorManifest<Meta>['tensors'] = [];
  const parts: Uint8Array[] = [];
  let offset = 0;
  for (const [name, t] of Object.entries(tensors)) {
    if (t.dtype !== 'float32' && t.dtype !== 'int32') throw new UnlearnError('INVALID_OPTION', `Cannot save ${name}: dtype ${t.dtype}`);
    const data = await t.data();
    const bytes = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
    entries.push({ name, shape: t.shape.slice(), dtype: t.dtype, byteOffset: offset, byteLength: bytes.byteLength });
    parts.push(bytes);
    offset += bytes.byteLength;
  }
  const manifest: TensorManifest<Meta> = { format: 'unlearn-tensors', version: 1, meta, tensors: entries };
  await writeDirAtomically(resolve(dir), async (tmp) => {
    await writeFile(join(tmp, DATA), Buffer.concat(parts));
    await writeFile(join(tmp, MANIFEST), JSON.stringify(manifest, null, 2));
  });
}

export async function loadTensors<Meta>(dir: string): Promise<{ meta: Meta; tensors: Record<string, tf.Tensor> }> {
  const path = resolve(dir);
  let manifest: TensorManifest<Meta>;
  try {
    manifest = JSON.parse(await readFile(join(path, MANIFEST), 'utf8')) as TensorManifest<Meta>;
  } catch (error) {
    throw new UnlearnError('CORRUPT_FILE', `Cannot read ${join(path, MANIFEST)}: ${(error as Error).message}`, { cause: error });
  }
  if (manifest?.format !== 'unlearn-tensors' || !Array.isArray(manifest.tensors)) {
    throw new UnlearnError('CORRUPT_FILE', `${join(path, MANIFEST)} is not an unlearn tensor manifest`);
  }
  let data: Buffer;
  try {
    data = await readFile(join(path, DATA));
  } catch (error) {
    throw new UnlearnError('CORRUPT_FILE', `Cannot read ${join(path, DATA)}: ${(error as Error).message}`, { cause: error });
  }
  const expected = manifest.tensors.reduce((n, t) => Math.max(n, t.byteOffset + t.byteLength), 0);
  if (data.byteLength !== expected) {
    throw new UnlearnError('CORRUPT_FILE', `${join(path, DATA)} has ${data.byteLength} bytes, the manifest describes ${expected} (truncated?)`);
  }
  const tensors: Record<string, tf.Tensor> = {};
  for (const t of manifest.tensors) {
    const slice = data.buffer.slice(data.byteOffset + t.byteOffset, data.byteOffset + t.byteOffset + t.byteLength);
    const values = t.dtype === 'int32' ? new Int32Array(slice) : new Float32Array(slice);
    tensors[t.name] = tf.tensor(values, t.shape, t.dtype);
  }
  return { meta: manifest.meta, tensors };
}
