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
 * uses it (weights hash, kind, batch size, shapes), not here.
 */
export async function loadImportances(dir: string): Promise<ImportanceSet> {
  const { meta, tensors } = await loadTensors<CacheMeta>(dir);
  const fail = (why: string): never => {
    tf.dispose(Object.values(tensors));
    throw new UnlearnError('CORRUPT_FILE', `${dir} is not an SSD importance cache: ${why}`);
  };
  if (meta?.format !== FORMAT) fail(`manifest format is ${JSON.stringify(meta?.format)}`);
  if (meta.kind !== 'fisher' && meta.kind !== 'loss-free') fail(`unknown importance kind ${JSON.stringify(meta.kind)}`);
  if (!Array.isArray(meta.shapes)) fail('the manifest lists no shapes');
  const ordered = meta.shapes.map((_, i) => tensors[key(i)] ?? fail(`tensor ${key(i)} is missing`));
  const set: ImportanceSet = {
    kind: meta.kind,
    batchSize: meta.batchSize,
    modelHash: meta.modelHash,
    names: meta.names ?? [],
    shapes: meta.shapes,
    tensors: ordered,
  };
  if (meta.samples !== undefined) set.samples = meta.samples;
  return set;
}
