import type { Dirent } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { extname, join } from 'node:path';
import * as jpeg from 'jpeg-js';
import { PNG } from 'pngjs';
import { badInput } from './exit-codes.js';
import type { FileDigest } from './hash.js';
import { digestOf } from './hash.js';
import type { NumericArray } from './numeric-array.js';
import { pngStructureProblem } from './png-check.js';
import { formatShape } from './numeric-array.js';

const IMAGE_EXTENSIONS = new Set(['.png', '.jpg', '.jpeg']);

export interface ImageFolder {
  array: NumericArray;
  /** Class indices from subfolder names (`0/`, `1/`, ...), when the images are laid out that way. */
  labels?: Int32Array;
  /** Every image read, in sample order, with paths relative to the folder. */
  files: FileDigest[];
}

interface Decoded {
  width: number;
  height: number;
  /** RGBA, 8 bits per channel. */
  rgba: Uint8Array;
}

function decode(bytes: Buffer, file: string): Decoded {
  const ext = extname(file).toLowerCase();
  try {
    if (ext === '.png') {
      const problem = pngStructureProblem(bytes);
      if (problem) throw new Error(problem);
      const png = PNG.sync.read(bytes);
      return { width: png.width, height: png.height, rgba: png.data };
    }
    const img = jpeg.decode(bytes, { useTArray: true, formatAsRGBA: true });
    return { width: img.width, height: img.height, rgba: img.data };
  } catch (error) {
    throw badInput('CORRUPT_FILE', `Cannot decode image ${file}: ${(error as Error).message}`, error);
  }
}

const byName = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

async function listImages(dir: string): Promise<{ images: string[]; folders: string[] }> {
  let entries: Dirent[];
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch (error) {
    throw badInput('BAD_PATH', `Cannot read image folder ${dir}: ${(error as Error).message}`, error);
  }
  const images = entries.filter((e) => e.isFile() && IMAGE_EXTENSIONS.has(extname(e.name).toLowerCase())).map((e) => e.name);
  const folders = entries.filter((e) => e.isDirectory() && !e.name.startsWith('.')).map((e) => e.name);
  return { images: images.sort(byName), folders };
}

/** Where each sample comes from: `[relative path, class or undefined]`, in sample order. */
export async function layout(dir: string): Promise<{ files: [string, number | undefined][]; labelled: boolean }> {
  const top = await listImages(dir);
  if (top.images.length > 0) return { files: top.images.map((f) => [f, undefined]), labelled: false };
  const classes = top.folders.map((name) => {
    if (!/^\d+$/.test(name)) {
      throw badInput('BAD_LAYOUT', `${dir} has no images at its top level and its subfolder "${name}" is not a class number (expected 0/, 1/, ...)`);
    }
    return { name, label: Number(name) };
  });
  classes.sort((a, b) => a.label - b.label);
  const files: [string, number | undefined][] = [];
  for (const c of classes) {
    const inner = await listImages(join(dir, c.name));
    for (const f of inner.images) files.push([join(c.name, f), c.label]);
  }
  if (files.length === 0) throw badInput('EMPTY_DATASET', `${dir} contains no .png, .jpg or .jpeg images`);
  return { files, labelled: true };
}

/**
 * Reads a folder of PNG/JPEG images into [n, h, w, c] float32 in [0, 1], converted to the
 * model's channel count (1 = luminance, 3 = RGB; alpha is dropped). Files are sorted by name
 * (code-point order, as `sorted()` in Python); with class subfolders, by class then name.
 */
export async function readImageFolder(dir: string, sampleShape: readonly (number | null)[] | undefined): Promise<ImageFolder> {
  if (sampleShape?.length !== 3) {
    const got = sampleShape ? formatShape(sampleShape) : 'an unknown shape';
    throw badInput('SHAPE_MISMATCH', `${dir} is an image folder but the model's input is ${got}, not [height, width, channels]`);
  }
  const [h0, w0, channels] = sampleShape;
  if (channels !== 1 && channels !== 3) {
    throw badInput('SHAPE_MISMATCH', `Image folders feed models with 1 or 3 input channels; this model expects ${formatShape(sampleShape)}`);
  }
  const { files, labelled } = await layout(dir);
  let height = h0;
  let width = w0;
  const digests: FileDigest[] = [];
  const pixels: Float32Array[] = [];
  for (const [rel] of files) {
    const path = join(dir, rel);
    const bytes = await readFile(path);
    digests.push(digestOf(rel, bytes));
    const img = decode(bytes, path);
    height ??= img.height;
    width ??= img.width;
    if (img.height !== height || img.width !== width) {
      throw badInput(
        'SHAPE_MISMATCH',
        `Image ${path} is ${img.width}x${img.height} (width x height) but the model expects ${width}x${height}; resize the images first`,
      );
    }
    pixels.push(toChannels(img, channels));
  }
  const size = height! * width! * channels;
  const data = new Float32Array(files.length * size);
  pixels.forEach((p, i) => data.set(p, i * size));
  const array: NumericArray = { shape: [files.length, height!, width!, channels], data, source: dir };
  const labels = labelled ? Int32Array.from(files, ([, label]) => label!) : undefined;
  return labels ? { array, labels, files: digests } : { array, files: digests };
}

/** The image files of a folder in sample order with their hashes, as `readImageFolder` records them. */
export async function digestImageFolder(dir: string): Promise<FileDigest[]> {
  const { files } = await layout(dir);
  const digests: FileDigest[] = [];
  for (const [rel] of files) digests.push(digestOf(rel, await readFile(join(dir, rel))));
  return digests;
}

function toChannels(img: Decoded, channels: 1 | 3): Float32Array {
  const n = img.width * img.height;
  const out = new Float32Array(n * channels);
  const { rgba } = img;
  for (let i = 0; i < n; i++) {
    const r = rgba[i * 4]!;
    const g = rgba[i * 4 + 1]!;
    const b = rgba[i * 4 + 2]!;
    if (channels === 1) {
      // ITU-R BT.601 luma, the weights PIL's convert('L') uses.
      out[i] = Math.min(1, (0.299 * r + 0.587 * g + 0.114 * b) / 255);
    } else {
      out[i * 3] = r / 255;
      out[i * 3 + 1] = g / 255;
      out[i * 3 + 2] = b / 255;
    }
  }
  return out;
}
