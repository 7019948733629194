import { mkdtemp, readdir, readFile, rm, symlink, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { hashWeights, isUnlearnError, toModelAdapter } from '../src/index.js';
import { loadModel, loadTensors, saveModel, saveTensors } from '../src/node/index.js';
import { tinyCnn } from '../src/testing/index.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'unlearn-io-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function codeOf(p: Promise<unknown>): Promise<string | undefined> {
  const e = await p.then(() => undefined, (err: unknown) => err);
  return isUnlearnError(e) ? `${e.code}: ${e.message}` : String(e);
}

describe('saveModel / loadModel', () => {
  it('[security] a weightsManifest path leaving the model folder (../, an absolute path, a link out) → CORRUPT_FILE ("points outside its folder") before the file is read; its size not revealed', async () => {
    const model = tinyCnn({ seed: 4 });
    await saveModel(model, join(dir, 'm'));
    // A file outside the model folder, of exactly the size the manifest expects: read, it would become the weights.
    const bytes = await readFile(join(dir, 'm', 'weights.bin'));
    await writeFile(join(dir, 'secret.bin'), bytes);
    await symlink(join(dir, 'secret.bin'), join(dir, 'm', 'link.bin'));
    const manifest = JSON.parse(await readFile(join(dir, 'm', 'model.json'), 'utf8'));
    for (const path of ['../secret.bin', join(dir, 'secret.bin'), './link.bin', 'sub/../../secret.bin']) {
      manifest.weightsManifest[0].paths = [path];
      await writeFile(join(dir, 'm', 'model.json'), JSON.stringify(manifest));
      const message = await codeOf(loadModel(join(dir, 'm')));
      expect(message, path).toMatch(/^CORRUPT_FILE: .*weightsManifest path: ".*" points outside its folder/);
      expect(message).not.toMatch(/bytes/);
    }
    model.dispose();
  });

  it('round-trips architecture and weights exactly, without tfjs-node', async () => {
    const model = tinyCnn({ seed: 4 });
    await saveModel(model, join(dir, 'm'));
    expect((await readdir(join(dir, 'm'))).sort()).toEqual(['model.json', 'weights.bin']);
    const loaded = await loadModel(join(dir, 'm'));
    expect(await hashWeights(toModelAdapter(loaded))).toBe(await hashWeights(toModelAdapter(model)));
    const x = tf.ones([1, 8, 8, 1]);
    expect(Array.from((loaded.predict(x) as tf.Tensor).dataSync())).toEqual(Array.from((model.predict(x) as tf.Tensor).dataSync()));
    const viaJson = await loadModel(join(dir, 'm', 'model.json'));
    expect(viaJson.layers.length).toBe(model.layers.length);
    [model, loaded, viaJson].forEach((m) => m.dispose());
  });

  it('replaces an existing folder atomically and leaves no temporary folders', async () => {
    const a = tinyCnn({ seed: 1 });
    const b = tinyCnn({ seed: 2 });
    await saveModel(a, join(dir, 'm'));
    await saveModel(b, join(dir, 'm'));
    expect(await readdir(dir)).toEqual(['m']);
    const loaded = await loadModel(join(dir, 'm'));
    expect(await hashWeights(toModelAdapter(loaded))).toBe(await hashWeights(toModelAdapter(b)));
    [a, b, loaded].forEach((m) => m.dispose());
  });

  it('[bad input] a missing model folder, a truncated weights.bin, a half-written or foreign model.json → CORRUPT_FILE saying which', async () => {
    expect(await codeOf(loadModel(join(dir, 'none')))).toMatch(/^CORRUPT_FILE: No model at/);
    const model = tinyCnn();
    await saveModel(model, join(dir, 'm'));
    const json = join(dir, 'm', 'model.json');
    const text = await readFile(json, 'utf8');
    await truncate(join(dir, 'm', 'weights.bin'), 100);
    expect(await codeOf(loadModel(join(dir, 'm')))).toMatch(/^CORRUPT_FILE: .*100 bytes but model\.json describes \d+ \(truncated/);
    await writeFile(json, text.slice(0, text.length / 2));
    expect(await codeOf(loadModel(join(dir, 'm')))).toMatch(/^CORRUPT_FILE: .*not valid JSON/);
    await writeFile(json, JSON.stringify({ hello: 1 }));
    expect(await codeOf(loadModel(join(dir, 'm')))).toMatch(/not a tfjs layers model/);
    model.dispose();
  });
});

describe('saveTensors / loadTensors', () => {
  it('round-trips named tensors and metadata', async () => {
    const a = tf.tensor2d([[1, 2], [3, 4]]);
    const b = tf.tensor1d([7, 8, 9], 'int32');
    await saveTensors(join(dir, 't'), { a, b }, { kind: 'fisher', batchSize: 64 });
    const { meta, tensors } = await loadTensors<{ kind: string; batchSize: number }>(join(dir, 't'));
    expect(meta).toEqual({ kind: 'fisher', batchSize: 64 });
    expect(tensors.a!.shape).toEqual([2, 2]);
    expect(Array.from(tensors.a!.dataSync())).toEqual([1, 2, 3, 4]);
    expect(tensors.b!.dtype).toBe('int32');
    expect(Array.from(tensors.b!.dataSync())).toEqual([7, 8, 9]);
    tf.dispose([a, b, ...Object.values(tensors)]);
  });

  it('[bad input] a truncated tensors.bin (importance cache, checkpoint) → CORRUPT_FILE with both sizes', async () => {
    const a = tf.zeros([10]);
    await saveTensors(join(dir, 't'), { a }, {});
    await truncate(join(dir, 't', 'tensors.bin'), 12);
    expect(await codeOf(loadTensors(join(dir, 't')))).toMatch(/^CORRUPT_FILE: .*12 bytes, the manifest describes 40/);
    a.dispose();
  });
});

describe('isPathInside', () => {
  it('treats a name that starts with two dots as inside, and .. or ../x as outside', async () => {
    const { isPathInside } = await import('../src/node/inside-folder.js');
    expect(isPathInside('/data/models/..cache', '/data/models')).toBe(true);
    expect(isPathInside('/data/models', '/data/models')).toBe(true);
    expect(isPathInside('/data', '/data/models')).toBe(false);
    expect(isPathInside('/data/other', '/data/models')).toBe(false);
    expect(isPathInside('/data/modelsX/a', '/data/models')).toBe(false);
  });
});
