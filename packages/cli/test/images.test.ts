import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as jpeg from 'jpeg-js';
import { PNG } from 'pngjs';
import * as tf from '@tensorflow/tfjs-core';
import { saveModel } from '@unlearn/core/node';
import { tinyCnn } from '@unlearn/core/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readImageFolder } from '../src/index.js';
import { cli, removeDir, tempDir } from './helpers.js';

let dir: string;
beforeEach(async () => {
  dir = await tempDir('unlearn-img-');
});
afterEach(async () => {
  await removeDir(dir);
});

/** An RGBA image where pixel i has colour `pixel(i)`. */
function png(width: number, height: number, pixel: (i: number) => [number, number, number]): Buffer {
  const img = new PNG({ width, height });
  for (let i = 0; i < width * height; i++) {
    const [r, g, b] = pixel(i);
    img.data.set([r, g, b, 255], i * 4);
  }
  return PNG.sync.write(img);
}

describe('readImageFolder', () => {
  it('reads PNGs sorted by name, as luminance in [0, 1] for 1-channel models', async () => {
    // "b" holds a known colour, "a" a gradient; "a" must come first whatever order they were written in.
    await writeFile(join(dir, 'b.png'), png(2, 2, () => [255, 0, 0]));
    await writeFile(join(dir, 'a.png'), png(2, 2, (i) => [i * 60, i * 60, i * 60]));
    await writeFile(join(dir, 'notes.txt'), 'ignored');
    const folder = await readImageFolder(dir, [2, 2, 1]);
    expect(folder.array.shape).toEqual([2, 2, 2, 1]);
    expect(folder.files.map((f) => f.path)).toEqual(['a.png', 'b.png']);
    expect(folder.labels).toBeUndefined();
    const v = Array.from(folder.array.data);
    [0, 60, 120, 180].forEach((g, i) => expect(v[i]).toBeCloseTo(g / 255, 6));
    // BT.601 luma of pure red.
    v.slice(4).forEach((x) => expect(x).toBeCloseTo(0.299, 6));
  });

  it('keeps RGB for 3-channel models', async () => {
    await writeFile(join(dir, 'c.png'), png(1, 2, (i) => (i === 0 ? [255, 128, 0] : [0, 0, 51])));
    const folder = await readImageFolder(dir, [2, 1, 3]);
    expect(folder.array.shape).toEqual([1, 2, 1, 3]);
    expect(Array.from(folder.array.data).map((x) => Math.round(x * 255))).toEqual([255, 128, 0, 0, 0, 51]);
  });

  it('reads JPEGs (lossy, so approximately)', async () => {
    const rgba = Buffer.alloc(8 * 8 * 4);
    for (let i = 0; i < 64; i++) rgba.set([100, 100, 100, 255], i * 4);
    await writeFile(join(dir, 'p.jpg'), jpeg.encode({ width: 8, height: 8, data: rgba }, 95).data);
    const folder = await readImageFolder(dir, [8, 8, 1]);
    for (const x of folder.array.data) expect(Math.abs(x - 100 / 255)).toBeLessThan(3 / 255);
  });

  it('takes labels from class subfolders 0/, 1/, ... in class order', async () => {
    for (const c of ['1', '0', '10']) await mkdir(join(dir, c));
    await writeFile(join(dir, '1', 'x.png'), png(2, 2, () => [10, 10, 10]));
    await writeFile(join(dir, '10', 'y.png'), png(2, 2, () => [20, 20, 20]));
    await writeFile(join(dir, '0', 'b.png'), png(2, 2, () => [30, 30, 30]));
    await writeFile(join(dir, '0', 'a.png'), png(2, 2, () => [40, 40, 40]));
    const folder = await readImageFolder(dir, [2, 2, 1]);
    expect(Array.from(folder.labels!)).toEqual([0, 0, 1, 10]);
    expect(folder.files.map((f) => f.path)).toEqual(['0/a.png', '0/b.png', '1/x.png', '10/y.png']);
    expect(folder.array.data[0]).toBeCloseTo(40 / 255, 6);
  });

  it('names the file whose size does not match the model', async () => {
    await writeFile(join(dir, 'ok.png'), png(2, 2, () => [0, 0, 0]));
    await writeFile(join(dir, 'wide.png'), png(3, 2, () => [0, 0, 0]));
    await expect(readImageFolder(dir, [2, 2, 1])).rejects.toThrow(/Image .*wide\.png is 3x2 \(width x height\) but the model expects 2x2/);
  });

  it('[bad input] a .png that is not a PNG, a class subfolder not named by a number, a model whose input is not an image → an error naming the file, the folder or the model\'s input shape', async () => {
    await writeFile(join(dir, 'bad.png'), 'not a png');
    await expect(readImageFolder(dir, [2, 2, 1])).rejects.toThrow(/Cannot decode image .*bad\.png/);
    const nested = join(dir, 'nested');
    await mkdir(join(nested, 'cats'), { recursive: true });
    await expect(readImageFolder(nested, [2, 2, 1])).rejects.toThrow(/subfolder "cats" is not a class number/);
    await expect(readImageFolder(dir, [8])).rejects.toThrow(/the model's input is \[8\], not \[height, width, channels\]/);
  });
});

describe('unlearn forget with an image folder', () => {
  it('feeds a CNN, takes SSD labels from subfolders, and records every image hash', async () => {
    const model = tinyCnn({ size: 8, classes: 3, seed: 5 });
    await saveModel(model, join(dir, 'cnn'));
    model.dispose();
    for (const c of [0, 1]) {
      await mkdir(join(dir, 'forget', String(c)), { recursive: true });
      await mkdir(join(dir, 'train', String(c)), { recursive: true });
      for (let k = 0; k < 3; k++) {
        const img = png(8, 8, (i) => [((i + k) * 37 + c * 90) % 256, (i * 11) % 256, 0]);
        await writeFile(join(dir, 'forget', String(c), `${k}.png`), img);
        await writeFile(join(dir, 'train', String(c), `${k}.png`), img);
      }
    }
    const before = tf.memory().numTensors;
    const run = await cli(
      ['forget', '--model', 'cnn', '--forget', 'forget', '--train', 'train', '--method', 'ssd', '--set', 'batchSize=3', '--set', 'alpha=0.5',
        '--backend', 'cpu', '--out', 'out', '--json'],
      dir,
    );
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const record = run.json<{ record: { request: { forget: { samples: number; inputs: { format: string; files: { path: string }[] }; labels: { from: string; count: number } } } } }>().record;
    expect(record.request.forget).toMatchObject({ samples: 6, inputs: { format: 'image-folder' }, labels: { from: 'subfolders', count: 6 } });
    expect(record.request.forget.inputs.files.map((f) => f.path)).toEqual(['0/0.png', '0/1.png', '0/2.png', '1/0.png', '1/1.png', '1/2.png']);
    expect(tf.memory().numTensors).toBe(before);

    await writeFile(join(dir, 'forget', '1', 'big.png'), png(9, 8, () => [0, 0, 0]));
    const bad = await cli(['forget', '--model', 'cnn', '--forget', 'forget', '--method', 'jit', '--backend', 'cpu', '--out', 'out2'], dir);
    expect(bad.code).toBe(3);
    expect(bad.stderr).toMatch(/Image .*forget\/1\/big\.png is 9x8 \(width x height\) but the model expects 8x8/);
  });
});
