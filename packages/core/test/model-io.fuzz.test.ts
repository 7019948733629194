import { mkdir, mkdtemp, readFile, realpath, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative, resolve, sep } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { isUnlearnError } from '../src/index.js';
import { loadModel, saveModel } from '../src/node/index.js';
import { tinyClassifier } from '../src/testing/index.js';

// Every path the loader hands to node:fs, so "never read outside the folder" is checked on the reads
// themselves, not only inferred from the error messages.
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
let json: Record<string, unknown>;
let weights: Uint8Array;
// Outside the model folder. secret.bin has exactly the size the manifest asks for, so a loader that
// followed a path to it would succeed with its values; secret.txt has a size no message should show.
const SECRET_VALUE = 1234.5;
const SECRET_TEXT = 'SENTINEL-d41d8cd9-outside-the-model-folder\n';
let secretTextBytes: number;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'unlearn-model-fuzz-'));
  dir = join(root, 'm');
  const model = tinyClassifier({ inputDim: 3, hidden: 4, classes: 2, seed: 7 });
  await saveModel(model, dir);
  model.dispose();
  realDir = await realpath(dir);
  json = JSON.parse(await readFile(join(dir, 'model.json'), 'utf8')) as Record<string, unknown>;
  weights = new Uint8Array(await readFile(join(dir, 'weights.bin')));
  await writeFile(join(root, 'secret.bin'), new Uint8Array(new Float32Array(weights.byteLength / 4).fill(SECRET_VALUE).buffer));
  const text = SECRET_TEXT.repeat(173);
  secretTextBytes = Buffer.byteLength(text);
  await writeFile(join(root, 'secret.txt'), text);
  await symlink(join(root, 'secret.bin'), join(dir, 'link.bin'));
  await symlink(root, join(dir, 'linkdir'));
  await mkdir(join(dir, 'sub'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

/** Weights paths an attacker or a broken converter might write, including ones that stay inside. */
const weightsPath = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom('./weights.bin', 'weights.bin', 'sub/../weights.bin') },
  {
    weight: 6,
    arbitrary: fc.constantFrom(
      '../secret.bin',
      '../secret.txt',
      'ABSOLUTE_SECRET',
      './link.bin',
      'linkdir/secret.bin',
      'linkdir/secret.txt',
      'sub/../../secret.bin',
      './sub/../../m/../secret.txt',
      '..\\secret.bin',
      '%2e%2e/secret.bin',
      '',
      '.',
      './',
      '..',
      'sub',
      'missing.bin',
    ),
  },
  { weight: 1, arbitrary: fc.string({ maxLength: 12 }) },
  { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 1 }) },
);

type SpecEdit = { field: 'shape' | 'dtype' | 'name' | 'quantization' | 'remove' | 'swap shapes' | 'duplicate' | 'replace'; value: unknown };

const dimension = fc.oneof(
  { weight: 4, arbitrary: fc.integer({ min: 0, max: 5 }) },
  { weight: 1, arbitrary: fc.constantFrom<unknown>(-1, -4, 1.5, 1e9, -1e9, 2 ** 53 + 2, 1e300, '3', null, [2]) },
);

/** An edit to one weight spec of the valid manifest. */
const specEdit: fc.Arbitrary<SpecEdit> = fc.oneof(
  fc.record({ field: fc.constant('shape' as const), value: fc.oneof(fc.array(dimension, { maxLength: 3 }), fc.jsonValue({ maxDepth: 1 })) }),
  fc.record({
    field: fc.constant('dtype' as const),
    value: fc.constantFrom<unknown>('float32', 'int32', 'bool', 'float16', 'uint8', 'string', 'complex64', 'toString', '__proto__', 7),
  }),
  fc.record({ field: fc.constant('name' as const), value: fc.oneof(fc.constantFrom<unknown>('dense_Dense1/kernel', '', null), fc.string({ maxLength: 8 })) }),
  fc.record({ field: fc.constant('quantization' as const), value: fc.jsonValue({ maxDepth: 2 }) }),
  fc.record({ field: fc.constant('remove' as const), value: fc.constant(null) }),
  // Swapping a kernel's and a bias's shapes keeps the byte total, so only tfjs can notice.
  fc.record({ field: fc.constant('swap shapes' as const), value: fc.constant(null) }),
  fc.record({ field: fc.constant('duplicate' as const), value: fc.constant(null) }),
  fc.record({ field: fc.constant('replace' as const), value: fc.jsonValue({ maxDepth: 2 }) }),
);

// Each part is usually left as saved, so that a good share of cases load, or fail only inside tfjs
// (a layer that does not fit its weights), where the half-built model is what could leak.
const usually = <T>(kept: T, edited: fc.Arbitrary<T>) => fc.oneof({ weight: 3, arbitrary: fc.constant(kept) }, { weight: 1, arbitrary: edited });

const manifestCase = fc.record({
  paths: usually<unknown>(['./weights.bin'], fc.oneof({ weight: 4, arbitrary: fc.array(weightsPath, { minLength: 1, maxLength: 2 }) }, { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 1 }) })),
  specEdits: usually<[number, SpecEdit][]>([], fc.array(fc.tuple(fc.nat(), specEdit), { minLength: 1, maxLength: 3 })),
  manifestShape: usually('group', fc.constantFrom('two groups', 'not an array', 'group not an object', 'weights not an array')),
  topology: usually('keep', fc.constantFrom('units', 'jsonValue', 'unknown layer')),
  topologyValue: fc.jsonValue({ maxDepth: 2 }),
  // Bytes added to (or, negative, cut from) weights.bin.
  weightsDelta: usually(0, fc.constantFrom(-4, -1, 1, 4)),
});

type ManifestCase = typeof manifestCase extends fc.Arbitrary<infer C> ? C : never;

function buildCase(c: ManifestCase): { modelJson: string; weightsBin: Uint8Array } {
  const m = structuredClone(json) as { modelTopology: unknown; weightsManifest: unknown };
  const group = structuredClone((json.weightsManifest as { paths: unknown; weights: unknown[] }[])[0]!);
  group.paths = Array.isArray(c.paths) ? c.paths.map((p) => (p === 'ABSOLUTE_SECRET' ? join(root, 'secret.bin') : p)) : c.paths;
  for (const [at, edit] of c.specEdits) {
    const i = at % group.weights.length;
    const spec = group.weights[i] as Record<string, unknown>;
    const next = group.weights[(i + 1) % group.weights.length] as Record<string, unknown>;
    if (edit.field === 'remove') group.weights.splice(i, 1);
    else if (edit.field === 'swap shapes' && typeof spec === 'object' && spec && typeof next === 'object' && next) {
      [spec.shape, next.shape] = [next.shape, spec.shape];
    }
    else if (edit.field === 'duplicate') group.weights.push(structuredClone(spec));
    else if (edit.field === 'replace') group.weights[i] = edit.value;
    else if (typeof spec === 'object' && spec !== null) spec[edit.field] = edit.value;
    if (group.weights.length === 0) break;
  }
  if (c.manifestShape === 'two groups') m.weightsManifest = [group, { paths: ['./weights.bin'], weights: [] }];
  else if (c.manifestShape === 'not an array') m.weightsManifest = c.topologyValue;
  else if (c.manifestShape === 'group not an object') m.weightsManifest = [c.topologyValue];
  else if (c.manifestShape === 'weights not an array') m.weightsManifest = [{ ...group, weights: c.topologyValue }];
  else m.weightsManifest = [group];
  if (c.topology === 'jsonValue') m.modelTopology = c.topologyValue;
  else if (c.topology !== 'keep') {
    const text = JSON.stringify(m.modelTopology);
    m.modelTopology = JSON.parse(c.topology === 'units' ? text.replace('"units":4', '"units":5') : text.replace('"Dense"', '"NoSuchLayer"'));
  }
  const n = Math.max(0, weights.byteLength + c.weightsDelta);
  const weightsBin = new Uint8Array(n);
  weightsBin.set(weights.subarray(0, Math.min(n, weights.byteLength)));
  return { modelJson: JSON.stringify(m), weightsBin };
}

/**
 * Loads the model folder as it is now and checks the contract: a model whose weights came from
 * inside the folder, or an UnlearnError with a code; no read outside the folder, nothing from the
 * sentinel files in the message, and no tensors left behind.
 */
// Counted so a property whose inputs all fail (or all load) the same way is noticed, not passed.
const outcomes = { loaded: 0, refused: 0 };

async function loadAndCheck(): Promise<'loaded' | 'refused'> {
  const before = tf.memory().numTensors;
  reads.length = 0;
  let error: unknown;
  const model = await loadModel(dir).catch((e: unknown) => {
    error = e;
  });
  if (model) {
    outcomes.loaded++;
    const values = model.getWeights().flatMap((w) => Array.from(w.dataSync()));
    model.dispose();
    expect(values, 'weights read from outside the folder').not.toContain(SECRET_VALUE);
  } else {
    outcomes.refused++;
    expect(isUnlearnError(error), String(error)).toBe(true);
    // UNSUPPORTED_MODEL: a topology that reads as a graph model's.
    expect(['CORRUPT_FILE', 'UNSUPPORTED_MODEL']).toContain((error as { code: string }).code);
    const message = (error as Error).message;
    expect(message).not.toContain('SENTINEL');
    expect(message).not.toContain(String(secretTextBytes));
  }
  for (const path of reads) {
    const real = await realpath(resolve(path)).catch(() => resolve(path));
    expect(real.startsWith(realDir + sep), `read ${path} (${real})`).toBe(true);
  }
  expect(tf.memory().numTensors, 'tensors left behind').toBe(before);
  return model ? 'loaded' : 'refused';
}

async function writeFolder(modelJson: string | Uint8Array, weightsBin: Uint8Array = weights): Promise<void> {
  await writeFile(join(dir, 'model.json'), modelJson);
  await writeFile(join(dir, 'weights.bin'), weightsBin);
}

describe('model.json reader under fuzzing', () => {
  it('model.json reader: the unedited folder loads (the properties below start from a valid model)', async () => {
    await writeFolder(JSON.stringify(json));
    await loadAndCheck();
    expect(reads.map((p) => relative(dir, p)).sort()).toEqual(['model.json', 'weights.bin']);
  });

  it('[bad input] model.json reader: arbitrary bytes as model.json → CORRUPT_FILE, never a crash', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 256 }), async (bytes) => {
        await writeFolder(bytes);
        await loadAndCheck();
      }),
      RUNS,
    );
  });

  it('[security] model.json reader: weightsManifest paths with ../, absolute paths and links out; odd shapes, dtypes, names and byte counts → CORRUPT_FILE or a model read only from inside its folder; no tensors leaked', async () => {
    Object.assign(outcomes, { loaded: 0, refused: 0 });
    await fc.assert(
      fc.asyncProperty(manifestCase, async (c) => {
        const { modelJson, weightsBin } = buildCase(c);
        await writeFolder(modelJson, weightsBin);
        await loadAndCheck();
      }),
      { ...RUNS, numRuns: 150 },
    );
    expect(outcomes.loaded).toBeGreaterThan(10);
    expect(outcomes.refused).toBeGreaterThan(100);
  });

  it('[bad input] model.json reader: byte flips and truncation of a valid model.json → CORRUPT_FILE or a model; no tensors leaked', async () => {
    const text = new TextEncoder().encode(JSON.stringify(json));
    const edit = fc.oneof(
      fc.record({ at: fc.nat(), value: fc.integer({ min: 0, max: 255 }) }),
      fc.record({ at: fc.nat(), value: fc.constant(-1) }),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(edit, { minLength: 1, maxLength: 3 }), async (edits) => {
        let bytes = text;
        for (const { at, value } of edits) {
          const i = at % bytes.length;
          bytes = value < 0 ? bytes.slice(0, i) : Uint8Array.from(bytes, (b, k) => (k === i ? value : b));
          if (bytes.length === 0) break;
        }
        await writeFolder(bytes);
        await loadAndCheck();
      }),
      RUNS,
    );
  });

  it('[bad input] model.json reader: a value nested 100 000 deep in a manifest field → CORRUPT_FILE, not a stack overflow', async () => {
    // Built as text: the test itself must not JSON.stringify a value this deep.
    const deep = '['.repeat(100_000) + ']'.repeat(100_000);
    const text = JSON.stringify(json);
    const at = text.indexOf('"weightsManifest"');
    const manifestWith = (from: string | RegExp, to: string) => text.slice(0, at) + text.slice(at).replace(from, to);
    const cases: Record<string, string> = {
      dtype: manifestWith('"dtype":"float32"', `"dtype":${deep}`),
      quantization: manifestWith('"dtype":"float32"', `"dtype":"float32","quantization":{"dtype":${deep}}`),
      shape: manifestWith(/"shape":\[[^\]]*\]/, `"shape":${deep}`),
      name: manifestWith(/"name":"[^"]*"/, `"name":${deep}`),
      path: manifestWith(/"paths":\[[^\]]*\]/, `"paths":[${deep}]`),
    };
    for (const [field, modelJson] of Object.entries(cases)) {
      await writeFolder(modelJson);
      expect(await loadAndCheck(), field).toBe('refused');
    }
    // tfjs reads the topology; whatever it makes of a deep layer config, the contract holds.
    await writeFolder(text.replace('"config":{', `"config":{"deep":${deep},`));
    await loadAndCheck();
  });
});
