import * as tf from '@tensorflow/tfjs-core';
import { UnlearnError } from '@unlearn/core';
import { loadTensors, saveTensors } from '@unlearn/core/node';
import type { ImportanceKind } from '../importance.js';
import type { ImportanceSet } from '../importance-set.js';

const FORMAT = 'unlearn-ssd-importances';

interface CacheMeta {
  format: typeof FORMAT;
  version: 1;
  kind: ImportanceKind;
  batchSize: number;
  modelHash: string;
  names: string[];
  shapes: number[][];
  samples?: number;
  createdAt: string;
}

const key = (i: number) => `importance_${String(i).padStart(4, '0')}`;

/** A field's value for a message, bounded: JSON.stringify of a deeply nested value would overflow the stack. */
const show = (v: unknown): string =>
  typeof v === 'string' ? JSON.stringify(v.slice(0, 40)) : typeof v === 'object' ? (v === null ? 'null' : Array.isArray(v) ? 'a list' : 'an object') : String(v);

/** Writes an ImportanceSet to `dir` (manifest.json + tensors.bin), replacing it atomically. */
export async function saveImportances(set: ImportanceSet, dir: string): Promise<void> {
  const meta: CacheMeta = {
    format: FORMAT,
    version: 1,
    kind: set.kind,
    batchSize: set.batchSize,
    modelHash: set.modelHash,
    names: set.names,
    shapes: set.shapes,
    createdAt: new Date().toISOString(),
  };
  if (set.samples !== undefined) meta.samples = set.samples;
  await saveTensors(dir, Object.fromEntries(set.tensors.map((t, i) => [key(i), t])), meta);
}

/**
 * Reads a set written by `saveImportances`. Whether it fits a model is checked when a run
 * uses it (weights hash, kind, batch size, shapes), not here; but what is returned is always
 * well formed (one tensor per listed shape, of that shape), so those checks cannot trip over it.
 */
export async function loadImportances(dir: string): Promise<ImportanceSet> {
  const { meta, tensors } = await loadTensors<Partial<CacheMeta> | null>(dir);
  const fail = (why: string): never => {
    tf.dispose(Object.values(tensors));
    throw new UnlearnError('CORRUPT_FILE', `${dir} is not an SSD importance cache: ${why}`);
  };
  if (typeof meta !== 'object' || meta === null || meta.format !== FORMAT) fail(`manifest format is ${show(meta?.format)}`);
  const m = meta as Partial<CacheMeta>;
  if (m.version !== 1) fail(`unsupported cache version ${show(m.version)}`);
  if (m.kind !== 'fisher' && m.kind !== 'loss-free') fail(`unknown importance kind ${show(m.kind)}`);
  if (!Number.isSafeInteger(m.batchSize) || m.batchSize! < 1) fail('the batch size is not a positive integer');
  if (typeof m.modelHash !== 'string') fail('the manifest has no model hash');
  if (m.names !== undefined && !(Array.isArray(m.names) && m.names.every((n) => typeof n === 'string'))) fail('"names" is not a list of names');
  if (m.samples !== undefined && !(Number.isSafeInteger(m.samples) && m.samples >= 0)) fail('"samples" is not a count');
  const shapes = m.shapes;
  if (!Array.isArray(shapes) || !shapes.every((s) => Array.isArray(s) && s.every((d) => Number.isSafeInteger(d) && d >= 0))) {
    return fail('"shapes" is not a list of shapes');
  }
  if (Object.keys(tensors).length !== shapes.length) fail(`${Object.keys(tensors).length} tensors for ${shapes.length} shapes`);
  const ordered = shapes.map((shape, i) => {
    const t = tensors[key(i)] ?? fail(`tensor ${key(i)} is missing`);
    if (t.shape.length !== shape.length || t.shape.some((d, k) => d !== shape[k])) fail(`tensor ${key(i)} does not have its listed shape`);
    return t;
  });
  const set: ImportanceSet = {
    kind: m.kind!,
    batchSize: m.batchSize!,
    modelHash: m.modelHash!,
    names: m.names ?? [],
    shapes,
    tensors: ordered,
  };
  if (m.samples !== undefined) set.samples = m.samples;
  return set;
}
