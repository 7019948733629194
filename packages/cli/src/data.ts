import { readFile, stat } from 'node:fs/promises';
import { extname, resolve } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { checkFinite, checkInputShape, checkLabelCount, checkLabels, checkNotEmpty, type DataWhere, type ModelAdapter, type TensorDataset } from '@unlearn/core';
import { badInput } from './exit-codes.js';
import type { FileDigest } from './hash.js';
import { combinedSha256, digestOf } from './hash.js';
import { readImageFolder } from './images.js';
import { parseJsonArray } from './json-array.js';
import { parseNpy } from './npy.js';
import type { NumericArray } from './numeric-array.js';

/** What a deletion record says about one input: identity and shape, never the values. */

/** The request's data files (or image folders) beyond the forget set, as forget and verify take them. */
export interface RequestDataFlags {
  retain?: string;
  retainLabels?: string;
  train?: string;
  trainLabels?: string;
  evalData?: string;
  evalLabels?: string;
  validation?: string;
  validationLabels?: string;
}

export interface InputProvenance {
  /** The path as given on the command line. */
  path: string;
  format: 'npy' | 'json' | 'image-folder';
  /** SHA-256 of the file; for an image folder, of the list of its files' hashes and names. */
  sha256: string;
  bytes: number;
  /** For an image folder: every image, in sample order. */
  files?: FileDigest[];
  shape: number[];
}

export interface LabelProvenance {
  /** The labels file, or the image folder whose subfolders named the classes. */
  path: string;
  from: 'file' | 'subfolders';
  sha256: string;
  bytes: number;
  count: number;
}

interface ReadResult {
  array: NumericArray;
  provenance: InputProvenance;
  folderLabels?: Int32Array;
}

async function pathKind(path: string, given: string, flag: string): Promise<'file' | 'dir'> {
  try {
    const s = await stat(path);
    return s.isDirectory() ? 'dir' : 'file';
  } catch {
    throw badInput('BAD_PATH', `${flag} ${given}: no such file or folder`);
  }
}

/** Reads a .npy file, a .json array or (when `sampleShape` says images) a folder of images. */
export async function readArray(
  given: string,
  flag: string,
  cwd: string,
  sampleShape?: readonly (number | null)[],
): Promise<ReadResult> {
  const path = resolve(cwd, given);
  if ((await pathKind(path, given, flag)) === 'dir') {
    const folder = await readImageFolder(path, sampleShape);
    const bytes = folder.files.reduce((n, f) => n + f.bytes, 0);
    return {
      array: { ...folder.array, source: given },
      provenance: { path: given, format: 'image-folder', sha256: combinedSha256(folder.files), bytes, files: folder.files, shape: folder.array.shape },
      ...(folder.labels ? { folderLabels: folder.labels } : {}),
    };
  }
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch (error) {
    throw badInput('BAD_PATH', `${flag} ${given}: cannot read the file (${(error as Error).message})`, error);
  }
  const ext = extname(path).toLowerCase();
  let array: NumericArray;
  if (ext === '.npy') array = parseNpy(bytes, given);
  else if (ext === '.json') array = parseJsonArray(bytes.toString('utf8'), given);
  else throw badInput('UNSUPPORTED_FORMAT', `${flag} ${given}: unsupported file type "${ext || '(none)'}"; use .npy, .json or a folder of PNG/JPEG images`);
  const digest = digestOf(given, bytes);
  return {
    array,
    provenance: { path: given, format: ext === '.npy' ? 'npy' : 'json', sha256: digest.sha256, bytes: digest.bytes, shape: array.shape },
  };
}

export interface SplitSpec {
  /** e.g. 'forget', used in messages. */
  role: string;
  xFlag: string;
  x: string;
  yFlag: string;
  y?: string;
}

export interface LoadedSplit {
  data: TensorDataset;
  x: InputProvenance;
  y?: LabelProvenance;
  samples: number;
  dispose(): void;
}

/**
 * Labels as the run takes them ([n] int32 or [n, C] float32), after core's label rules. Read as
 * float32 first so that a fractional class index is refused rather than truncated.
 */
async function labelTensor(model: ModelAdapter, labels: NumericArray, samples: number, where: DataWhere): Promise<tf.Tensor> {
  const read = tf.tensor(Float32Array.from(labels.data), labels.shape, 'float32');
  try {
    const rank = labels.shape.length;
    if (rank === 1 || rank === 2) {
      try {
        checkLabelCount(labels.shape[0]!, samples, where);
      } catch (error) {
        // A labels file that does not belong to the data has a code of its own on the command line.
        throw badInput('LABEL_COUNT_MISMATCH', (error as Error).message, error);
      }
    }
    await checkLabels(model, read, where);
    if (rank === 2) return read;
    const indices = tf.cast(read, 'int32');
    read.dispose();
    return indices;
  } catch (error) {
    read.dispose();
    throw error;
  }
}

/** Reads one split (inputs and optional labels), checks it against the model and makes tensors. */
export async function loadSplit(model: ModelAdapter, spec: SplitSpec, cwd: string): Promise<LoadedSplit> {
  const input = await readArray(spec.x, spec.xFlag, cwd, model.inputShape);
  // The data rules are core's; `where` makes their messages name the flag and the file.
  const where: DataWhere = { split: spec.role, x: `${spec.xFlag} ${input.array.source}` };
  checkInputShape(model, input.array.shape, where);
  const samples = input.array.shape[0] ?? 0;
  checkNotEmpty(samples, where);

  let labels: NumericArray | undefined;
  let yProvenance: LabelProvenance | undefined;
  if (spec.y !== undefined) {
    const read = await readArray(spec.y, spec.yFlag, cwd);
    labels = read.array;
    yProvenance = { path: spec.y, from: 'file', sha256: read.provenance.sha256, bytes: read.provenance.bytes, count: labels.shape[0] ?? 0 };
  } else if (input.folderLabels) {
    labels = { shape: [input.folderLabels.length], data: input.folderLabels, source: `${spec.x} (subfolder names)` };
    const names = (input.provenance.files ?? []).map((f) => f.path);
    yProvenance = {
      path: spec.x,
      from: 'subfolders',
      // The labels are the class folders in sample order; hash that list so it can be rechecked.
      sha256: combinedSha256(names.map((n, i) => ({ path: n, bytes: 0, sha256: String(input.folderLabels![i]) }))),
      bytes: 0,
      count: input.folderLabels.length,
    };
  }

  const xs = input.array.data;
  const x = tf.tensor(xs instanceof Float32Array ? xs : Float32Array.from(xs), input.array.shape, 'float32');
  let y: tf.Tensor | undefined;
  try {
    await checkFinite(x, where);
    if (labels) y = await labelTensor(model, labels, samples, { ...where, y: spec.y !== undefined ? `${spec.yFlag} ${labels.source}` : labels.source });
  } catch (error) {
    x.dispose();
    throw error;
  }
  return {
    data: y ? { x, y } : { x },
    x: input.provenance,
    ...(yProvenance ? { y: yProvenance } : {}),
    samples,
    dispose() {
      x.dispose();
      y?.dispose();
    },
  };
}
