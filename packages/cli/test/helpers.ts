import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import { saveModel } from '@unlearn/core/node';
import { syntheticClassification, tinyClassifier } from '@unlearn/core/testing';
import { afterAll, beforeAll } from 'vitest';
import { runCli } from '../src/index.js';

/** A writable that records what the CLI prints. */
export class Capture {
  text = '';
  constructor(readonly isTTY = false) {}
  write(s: string) {
    this.text += s;
    return true;
  }
}

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
  json<T = Record<string, unknown>>(): T;
}

export async function cli(args: string[], cwd: string, extra: { signal?: AbortSignal; tty?: boolean } = {}): Promise<CliRun> {
  const stdout = new Capture();
  const stderr = new Capture(extra.tty ?? false);
  const code = await runCli(args, { stdout, stderr, cwd, ...(extra.signal ? { signal: extra.signal } : {}) });
  return { code, stdout: stdout.text, stderr: stderr.text, json: <T>() => JSON.parse(stdout.text) as T };
}

type Descr = '<f4' | '<f8' | '<i4' | '<i8' | '|u1' | '|b1';

/**
 * Builds .npy bytes by hand from the format description (numpy.lib.format): magic, version,
 * little-endian header length, a Python-dict header padded with spaces to a multiple of 64
 * and ending in '\n', then the raw little-endian data.
 */
export function npyBytes(
  descr: Descr,
  shape: number[],
  values: ArrayLike<number>,
  opts: { version?: 1 | 2 | 3; fortran?: boolean; descrOverride?: string } = {},
): Uint8Array {
  const version = opts.version ?? 1;
  const shapeText = shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`;
  const dict = `{'descr': '${opts.descrOverride ?? descr}', 'fortran_order': ${opts.fortran ? 'True' : 'False'}, 'shape': ${shapeText}, }`;
  const prefix = version === 1 ? 10 : 12;
  const total = Math.ceil((prefix + dict.length + 1) / 64) * 64;
  const header = dict + ' '.repeat(total - prefix - dict.length - 1) + '\n';
  const itemSize = { '<f4': 4, '<f8': 8, '<i4': 4, '<i8': 8, '|u1': 1, '|b1': 1 }[descr];
  const out = new Uint8Array(total + values.length * itemSize);
  out.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, version, 0]);
  const view = new DataView(out.buffer);
  if (version === 1) view.setUint16(8, header.length, true);
  else view.setUint32(8, header.length, true);
  out.set(new TextEncoder().encode(header), prefix);
  for (let i = 0; i < values.length; i++) {
    const at = total + i * itemSize;
    const v = values[i]!;
    if (descr === '<f4') view.setFloat32(at, v, true);
    else if (descr === '<f8') view.setFloat64(at, v, true);
    else if (descr === '<i4') view.setInt32(at, v, true);
    else if (descr === '<i8') view.setBigInt64(at, BigInt(v), true);
    else view.setUint8(at, v);
  }
  return out;
}

export async function tempDir(prefix = 'unlearn-cli-'): Promise<string> {
  return mkdtemp(join(tmpdir(), prefix));
}

export async function removeDir(dir: string): Promise<void> {
  await rm(dir, { recursive: true, force: true });
}

/** Names in `dir`, to assert that no output (or temporary) folder was left behind. */
export async function entries(dir: string): Promise<string[]> {
  return (await readdir(dir)).sort();
}

/**
 * A workspace on disk: a tiny dense classifier trained (deterministically: seeded weights,
 * no shuffling) on three Gaussian blobs, and its data split into files the way a user would
 * have them. The forget set is every training sample of class 0.
 */
export interface Workspace {
  dir: string;
  model: LayersModel;
  /** The forget inputs as written to forget.npy (float32 values, row-major [30, 8]). */
  forgetX: number[];
}

export async function makeWorkspace(): Promise<Workspace> {
  const dir = await tempDir();
  const all = syntheticClassification({ n: 150, inputDim: 8, classes: 3, seed: 2 });
  const x = Array.from(await all.x.data());
  const y = Array.from(await all.y.data());
  tf.dispose([all.x, all.y]);
  const rows = (from: number, to: number) => ({ x: x.slice(from * 8, to * 8), y: y.slice(from, to) });
  const train = rows(0, 90);
  const test = rows(90, 150);

  const model = tinyClassifier({ inputDim: 8, hidden: 16, classes: 3, seed: 3 });
  model.compile({ optimizer: tf.train.adam(0.05), loss: 'sparseCategoricalCrossentropy' });
  const tx = tf.tensor2d(train.x, [90, 8]);
  const ty = tf.tensor1d(train.y, 'float32');
  await model.fit(tx, ty, { epochs: 30, batchSize: 32, shuffle: false, verbose: 0 });
  tf.dispose([tx, ty]);
  await saveModel(model, join(dir, 'model'));

  const forgetRows = train.y.flatMap((label, i) => (label === 0 ? [i] : []));
  const retainRows = train.y.flatMap((label, i) => (label !== 0 ? [i] : []));
  const pick = (idx: number[]) => ({ x: idx.flatMap((i) => train.x.slice(i * 8, i * 8 + 8)), y: idx.map((i) => train.y[i]!) });
  const forget = pick(forgetRows);
  const retain = pick(retainRows);
  const nested = (flat: number[], width: number) => Array.from({ length: flat.length / width }, (_, i) => flat.slice(i * width, (i + 1) * width));

  await writeFile(join(dir, 'forget.npy'), npyBytes('<f4', [forgetRows.length, 8], forget.x));
  await writeFile(join(dir, 'forget-labels.npy'), npyBytes('<i8', [forgetRows.length], forget.y));
  await writeFile(join(dir, 'forget-labels.json'), JSON.stringify(forget.y));
  await writeFile(join(dir, 'retain.npy'), npyBytes('<f8', [retainRows.length, 8], retain.x));
  await writeFile(join(dir, 'retain-labels.npy'), npyBytes('|u1', [retainRows.length], retain.y));
  await writeFile(join(dir, 'train.json'), JSON.stringify(nested(train.x, 8)));
  await writeFile(join(dir, 'train-labels.json'), JSON.stringify(train.y));
  await writeFile(join(dir, 'test.json'), JSON.stringify({ shape: [60, 8], data: test.x }));
  await writeFile(join(dir, 'test-labels.json'), JSON.stringify(test.y));
  return { dir, model, forgetX: Array.from(Float32Array.from(forget.x)) };
}

/** A workspace made before a file's tests and removed after them; call the result inside a test. */
export function useWorkspace(): () => Workspace {
  let ws: Workspace | undefined;
  beforeAll(async () => {
    ws = await makeWorkspace();
  });
  afterAll(async () => {
    ws?.model.dispose();
    if (ws) await removeDir(ws.dir);
  });
  return () => ws!;
}

/** The inputs of an SSD deletion request on the workspace: class 0's samples, with labels, and the training set. */
export const SSD_INPUTS = ['--model', 'model', '--forget', 'forget.npy', '--labels', 'forget-labels.npy', '--train', 'train.json', '--train-labels', 'train-labels.json'];
