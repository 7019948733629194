import { readFile, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { UnlearnError } from '../errors.js';
import { writeDirAtomically } from './atomic-dir.js';
import { fileInsideFolder } from './inside-folder.js';

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

/**
 * Reads what `saveTensors` wrote. Every entry is checked before any tensor is made (so a bad file
 * leaves nothing allocated), and both files must resolve inside `dir`: a link out of the folder is
 * refused as it is for a model's weights.
 */
export async function loadTensors<Meta>(dir: string): Promise<{ meta: Meta; tensors: Record<string, tf.Tensor> }> {
  const path = resolve(dir);
  const manifestPath = join(path, MANIFEST);
  let manifest: unknown;
  try {
    manifest = JSON.parse(await readFile(await fileInsideFolder(path, MANIFEST, `Tensor folder ${path}`), 'utf8'));
  } catch (error) {
    if (error instanceof UnlearnError) throw error;
    throw new UnlearnError('CORRUPT_FILE', `Cannot read ${manifestPath}: ${(error as Error).message}`, { cause: error });
  }
  const m = manifest as Partial<TensorManifest<Meta>> | null;
  if (typeof m !== 'object' || m === null || m.format !== 'unlearn-tensors' || !Array.isArray(m.tensors)) {
    throw new UnlearnError('CORRUPT_FILE', `${manifestPath} is not an unlearn tensor manifest`);
  }
  const entries = checkEntries(m.tensors as unknown[], manifestPath);
  const dataPath = await fileInsideFolder(path, DATA, `Tensor folder ${path}`);
  let data: Buffer;
  try {
    data = await readFile(dataPath);
  } catch (error) {
    throw new UnlearnError('CORRUPT_FILE', `Cannot read ${dataPath}: ${(error as Error).message}`, { cause: error });
  }
  const expected = entries.reduce((n, t) => Math.max(n, t.byteOffset + t.byteLength), 0);
  if (data.byteLength !== expected) {
    throw new UnlearnError('CORRUPT_FILE', `${dataPath} has ${data.byteLength} bytes, the manifest describes ${expected} (truncated?)`);
  }
  // No prototype: an entry named "__proto__" is then an ordinary key, not a hidden, undisposed tensor.
  const tensors = Object.create(null) as Record<string, tf.Tensor>;
  for (const t of entries) {
    const slice = data.buffer.slice(data.byteOffset + t.byteOffset, data.byteOffset + t.byteOffset + t.byteLength);
    tensors[t.name] = tf.tensor(t.dtype === 'int32' ? new Int32Array(slice) : new Float32Array(slice), t.shape, t.dtype);
  }
  return { meta: m.meta as Meta, tensors };
}

type Entry = TensorManifest<unknown>['tensors'][number];

function checkEntries(list: unknown[], manifestPath: string): Entry[] {
  const names = new Set<string>();
  const count = (v: unknown): v is number => Number.isSafeInteger(v) && (v as number) >= 0;
  return list.map((raw, i) => {
    const bad = (why: string) => new UnlearnError('CORRUPT_FILE', `${manifestPath}: tensor entry ${i} ${why}`);
    const t = raw as Partial<Record<keyof Entry, unknown>> | null;
    if (typeof t !== 'object' || t === null || typeof t.name !== 'string') throw bad('has no name');
    if (names.has(t.name)) throw bad(`repeats the name ${JSON.stringify(t.name.slice(0, 80))}`);
    names.add(t.name);
    if (t.dtype !== 'float32' && t.dtype !== 'int32') {
      throw bad(`has dtype ${typeof t.dtype === 'string' ? JSON.stringify(t.dtype.slice(0, 40)) : typeof t.dtype}; float32 and int32 are stored`);
    }
    if (!Array.isArray(t.shape) || !t.shape.every(count)) throw bad('has a shape that is not a list of non-negative integers');
    if (!count(t.byteOffset) || !count(t.byteLength)) throw bad('has a byte offset or length that is not a non-negative integer');
    const size = (t.shape as number[]).reduce((a, b) => a * b, 1) * 4;
    if (t.byteLength !== size) throw bad(`has ${t.byteLength} bytes but shape [${t.shape.join(', ')}] needs ${size}`);
    return { name: t.name, shape: t.shape as number[], dtype: t.dtype, byteOffset: t.byteOffset, byteLength: t.byteLength };
  });
}
