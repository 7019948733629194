import { mkdtemp, readFile, realpath, rm, symlink, unlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve, sep } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { isUnlearnError } from '@unlearn/core';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { disposeImportances, isImportanceSet, type ImportanceSet } from '../src/index.js';
import { loadImportances, saveImportances } from '../src/node/index.js';

// Every path handed to node:fs by the reader (core's loadTensors), so "never read outside the folder"
// is checked on the reads themselves.
const reads = vi.hoisted(() => [] as string[]);
vi.mock('node:fs/promises', async (importOriginal) => {
  const fs = await importOriginal<typeof import('node:fs/promises')>();
  const record =
    <A extends unknown[], R>(fn: (path: never, ...rest: A) => R) =>
    (path: unknown, ...rest: A): R => {
      reads.push(String(path));
      return fn(path as never, ...rest);
    };
  return { ...fs, default: fs, readFile: record(fs.readFile), open: record(fs.open) };
});

// Fixed seeds keep CI deterministic; fast-check prints the seed and the shrunk input on failure.
const RUNS = { seed: 20240516, numRuns: 100 };

let root: string;
let dir: string;
let realDir: string;
let manifest: { format: string; version: number; meta: Record<string, unknown>; tensors: Record<string, unknown>[] };
let data: Uint8Array;
// Outside the cache folder, exactly as large as tensors.bin: a reader that followed a link to it would
// load its values.
const SECRET_VALUE = 4321.25;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'unlearn-cache-fuzz-'));
  dir = join(root, 'cache');
  const set: ImportanceSet = {
    kind: 'fisher',
    batchSize: 8,
    modelHash: 'f'.repeat(64),
    names: ['dense/kernel', 'dense/bias'],
    shapes: [[3, 2], [2]],
    samples: 36,
    tensors: [tf.tensor2d([1, 2, 3, 4, 5, 6], [3, 2]), tf.tensor1d([7, 8])],
  };
  await saveImportances(set, dir);
  disposeImportances(set);
  realDir = await realpath(dir);
  manifest = JSON.parse(await readFile(join(dir, 'manifest.json'), 'utf8')) as typeof manifest;
  data = new Uint8Array(await readFile(join(dir, 'tensors.bin')));
  await writeFile(join(root, 'secret.bin'), new Uint8Array(new Float32Array(data.byteLength / 4).fill(SECRET_VALUE).buffer));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

const outcomes = { loaded: 0, refused: 0 };

/**
 * Loads the cache folder as it is now: a well-formed ImportanceSet (one tensor per listed shape, of
 * that shape) read only from inside the folder, or CORRUPT_FILE; no tensors left behind either way.
 */
async function loadAndCheck(): Promise<'loaded' | 'refused'> {
  const before = tf.memory().numTensors;
  reads.length = 0;
  let error: unknown;
  const set = await loadImportances(dir).catch((e: unknown) => {
    error = e;
  });
  if (set) {
    outcomes.loaded++;
    const shapes = set.tensors.map((t) => t.shape);
    const values = set.tensors.flatMap((t) => Array.from(t.dataSync()));
    disposeImportances(set);
    expect(isImportanceSet(set)).toBe(true);
    expect(shapes).toEqual(set.shapes);
    for (const s of set.shapes) expect(s.every((d) => Number.isSafeInteger(d) && d >= 0)).toBe(true);
    expect(set.names.every((n) => typeof n === 'string')).toBe(true);
    expect(values, 'values read from outside the folder').not.toContain(SECRET_VALUE);
  } else {
    outcomes.refused++;
    expect(isUnlearnError(error), String(error)).toBe(true);
    expect((error as { code: string }).code).toBe('CORRUPT_FILE');
  }
  for (const path of reads) {
    const real = await realpath(resolve(path)).catch(() => resolve(path));
    expect(real.startsWith(realDir + sep), `read ${path} (${real})`).toBe(true);
  }
  expect(tf.memory().numTensors, 'tensors left behind').toBe(before);
  return set ? 'loaded' : 'refused';
}

async function writeCache(manifestBytes: string | Uint8Array, tensorsBin: Uint8Array | 'link outside' = data): Promise<void> {
  await writeFile(join(dir, 'manifest.json'), manifestBytes);
  await unlink(join(dir, 'tensors.bin')).catch(() => undefined);
  if (tensorsBin === 'link outside') await symlink(join(root, 'secret.bin'), join(dir, 'tensors.bin'));
  else await writeFile(join(dir, 'tensors.bin'), tensorsBin);
}

const usually = <T>(kept: T, edited: fc.Arbitrary<T>) => fc.oneof({ weight: 3, arbitrary: fc.constant(kept) }, { weight: 1, arbitrary: edited });

const number = fc.oneof(
  { weight: 3, arbitrary: fc.integer({ min: 0, max: 40 }) },
  { weight: 1, arbitrary: fc.constantFrom<unknown>(-4, -1, 1.5, 2 ** 31, 2 ** 53 + 2, 1e300, '8', null) },
);

/** An edit to one entry of the manifest's tensor list. */
const entryEdit = fc.oneof(
  fc.record({ field: fc.constantFrom('byteOffset', 'byteLength'), value: number }),
  fc.record({ field: fc.constant('shape'), value: fc.oneof(fc.array(number, { maxLength: 3 }), fc.jsonValue({ maxDepth: 1 })) }),
  fc.record({ field: fc.constant('dtype'), value: fc.constantFrom<unknown>('float32', 'int32', 'bool', 'string', 'complex64', 'toString', 3) }),
  fc.record({ field: fc.constant('name'), value: fc.constantFrom<unknown>('importance_0000', 'importance_0001', 'importance_0002', '__proto__', 'constructor', '', 5) }),
  fc.record({ field: fc.constantFrom('remove', 'duplicate', 'swap shapes'), value: fc.constant(null) }),
  fc.record({ field: fc.constant('replace'), value: fc.jsonValue({ maxDepth: 1 }) }),
);

/** An edit to the importance metadata the SSD layer adds. */
const metaEdit = fc.record({
  field: fc.constantFrom('format', 'kind', 'shapes', 'batchSize', 'modelHash', 'names', 'samples', 'drop shape', 'extra shape'),
  value: fc.oneof(fc.jsonValue({ maxDepth: 2 }), fc.constantFrom<unknown>('fisher', 'loss-free', [[3, 2], [2]], [[2], [3, 2]], [[3, 2], 2], -1, 8)),
});

const cacheCase = fc.record({
  entryEdits: usually<[number, { field: string; value: unknown }][]>([], fc.array(fc.tuple(fc.nat(), entryEdit), { minLength: 1, maxLength: 3 })),
  metaEdits: usually<{ field: string; value: unknown }[]>([], fc.array(metaEdit, { minLength: 1, maxLength: 2 })),
  top: usually<string>('keep', fc.constantFrom('format', 'tensors not an array', 'meta missing', 'not an object')),
  dataDelta: usually<number | 'link outside'>(0, fc.constantFrom<number | 'link outside'>(-4, -1, 1, 4, 'link outside')),
});

type CacheCase = typeof cacheCase extends fc.Arbitrary<infer C> ? C : never;

function buildCase(c: CacheCase): { manifestText: string; tensorsBin: Uint8Array | 'link outside' } {
  const m = structuredClone(manifest) as Record<string, unknown> & { tensors: unknown[]; meta: Record<string, unknown> };
  for (const [at, edit] of c.entryEdits) {
    if (m.tensors.length === 0) break;
    const i = at % m.tensors.length;
    const entry = m.tensors[i] as Record<string, unknown>;
    const next = m.tensors[(i + 1) % m.tensors.length] as Record<string, unknown>;
    if (edit.field === 'remove') m.tensors.splice(i, 1);
    else if (edit.field === 'duplicate') m.tensors.push(structuredClone(entry));
    else if (edit.field === 'replace') m.tensors[i] = edit.value;
    else if (typeof entry !== 'object' || entry === null) continue;
    else if (edit.field === 'swap shapes' && typeof next === 'object' && next) [entry.shape, next.shape] = [next.shape, entry.shape];
    else entry[edit.field] = edit.value;
  }
  for (const { field, value } of c.metaEdits) {
    const shapes = m.meta.shapes as unknown[];
    if (field === 'drop shape' && Array.isArray(shapes)) shapes.pop();
    else if (field === 'extra shape' && Array.isArray(shapes)) shapes.push([2]);
    else m.meta[field] = value;
  }
  if (c.top === 'format') m.format = 'unlearn-tensor';
  else if (c.top === 'tensors not an array') m.tensors = { 0: m.tensors[0] } as never;
  else if (c.top === 'meta missing') delete (m as { meta?: unknown }).meta;
  const manifestText = c.top === 'not an object' ? JSON.stringify(m.tensors) : JSON.stringify(m);
  if (c.dataDelta === 'link outside') return { manifestText, tensorsBin: 'link outside' };
  const n = Math.max(0, data.byteLength + c.dataDelta);
  const tensorsBin = new Uint8Array(n);
  tensorsBin.set(data.subarray(0, Math.min(n, data.byteLength)));
  return { manifestText, tensorsBin };
}

describe('SSD importance cache reader under fuzzing', () => {
  it('importance cache reader: the unedited cache loads (the properties below start from a valid cache)', async () => {
    await writeCache(JSON.stringify(manifest));
    await loadAndCheck();
    expect(outcomes.loaded).toBe(1);
  });

  it('[bad input] importance cache reader: arbitrary bytes as manifest.json or tensors.bin → CORRUPT_FILE, never a crash', async () => {
    await fc.assert(
      fc.asyncProperty(fc.boolean(), fc.uint8Array({ maxLength: 256 }), async (asManifest, bytes) => {
        await (asManifest ? writeCache(bytes) : writeCache(JSON.stringify(manifest), bytes));
        await loadAndCheck();
      }),
      RUNS,
    );
  });

  it('[security] importance cache reader: edited offsets, lengths, shapes, dtypes, names and metadata; a short tensors.bin or a link out of the folder → CORRUPT_FILE or a well-formed set read only from inside its folder; no tensors leaked', async () => {
    Object.assign(outcomes, { loaded: 0, refused: 0 });
    await fc.assert(
      fc.asyncProperty(cacheCase, async (c) => {
        const { manifestText, tensorsBin } = buildCase(c);
        await writeCache(manifestText, tensorsBin);
        await loadAndCheck();
      }),
      { ...RUNS, numRuns: 200 },
    );
    // Both outcomes must be exercised, or the property says less than its name.
    expect(outcomes.loaded).toBeGreaterThan(10);
    expect(outcomes.refused).toBeGreaterThan(50);
  });

  it('[bad input] importance cache reader: byte flips and truncation of a valid manifest.json → CORRUPT_FILE or a well-formed set; no tensors leaked', async () => {
    const text = new TextEncoder().encode(JSON.stringify(manifest));
    const edit = fc.record({ at: fc.nat(), value: fc.integer({ min: -1, max: 255 }) });
    await fc.assert(
      fc.asyncProperty(fc.array(edit, { minLength: 1, maxLength: 3 }), async (edits) => {
        let bytes = text;
        for (const { at, value } of edits) {
          const i = at % bytes.length;
          bytes = value < 0 ? bytes.slice(0, i) : Uint8Array.from(bytes, (b, k) => (k === i ? value : b));
          if (bytes.length === 0) break;
        }
        await writeCache(bytes);
        await loadAndCheck();
      }),
      RUNS,
    );
  });

  it('[bad input] importance cache reader: a value nested 100 000 deep in a manifest field → CORRUPT_FILE, not a stack overflow', async () => {
    // Built as text: the test itself must not JSON.stringify a value this deep.
    const deep = '['.repeat(100_000) + ']'.repeat(100_000);
    const text = JSON.stringify(manifest);
    const cases: Record<string, string> = {
      format: text.replace('"format":"unlearn-tensors"', `"format":${deep}`),
      'meta format': text.replace('"format":"unlearn-ssd-importances"', `"format":${deep}`),
      kind: text.replace('"kind":"fisher"', `"kind":${deep}`),
      'meta shapes': text.replace(/"shapes":\[\[3,2\],\[2\]\]/, `"shapes":${deep}`),
      name: text.replace('"name":"importance_0000"', `"name":${deep}`),
      dtype: text.replace('"dtype":"float32"', `"dtype":${deep}`),
      shape: text.replace('"shape":[3,2]', `"shape":${deep}`),
      tensors: text.replace(/"tensors":\[.*\]\}$/, `"tensors":${deep}}`),
    };
    for (const [field, manifestText] of Object.entries(cases)) {
      expect(manifestText, field).not.toBe(text);
      await writeCache(manifestText);
      expect(await loadAndCheck(), field).toBe('refused');
    }
  });
});
