import { describe, expect, it } from 'vitest';
import { accuracyChart } from '../.vitepress/theme/playground/chart.js';
import { decodeDigits, encodeDigits, PIXEL_VALUES, PIXELS } from '../.vitepress/theme/playground/digits.js';
import type { MethodRun } from '../.vitepress/theme/playground/session.js';

describe('playground digit encoding', () => {
  const image = (k: number) => Float32Array.from({ length: PIXELS }, (_, i) => PIXEL_VALUES[(i * 7 + k * 31) % 256]!);
  const split = (images: number[], labels: number[]) => ({
    pixels: Float32Array.from(images.flatMap((k) => [...image(k)])),
    labels: Int32Array.from(labels),
  });

  it('decodes exactly what it encoded, train and test apart', () => {
    const train = split([1, 2, 3], [7, 0, 9]);
    const test = split([4, 5], [3, 3]);
    const bytes = encodeDigits(train, test);
    expect(bytes.length).toBe(5 * (PIXELS + 1));
    const back = decodeDigits(bytes, { train: 3, test: 2 });
    expect(back.train.pixels).toEqual(train.pixels);
    expect(back.test.pixels).toEqual(test.pixels);
    expect([...back.train.labels]).toEqual([7, 0, 9]);
    expect([...back.test.labels]).toEqual([3, 3]);
  });

  it('maps bytes to the npm data values (3 decimals of p / 255)', () => {
    expect(PIXEL_VALUES[0]).toBe(0);
    expect(PIXEL_VALUES[255]).toBe(1);
    expect(PIXEL_VALUES[178]).toBe(Math.fround(0.698));
  });

  it('refuses pixels the byte encoding would change, and truncated files', () => {
    const bad = split([1], [0]);
    bad.pixels[5] = 0.5; // 127.5 / 255: no byte decodes to it
    expect(() => encodeDigits(bad, split([], []))).toThrow(/would change it/);
    expect(() => decodeDigits(new Uint8Array(10), { train: 1, test: 0 })).toThrow(/expected 785 bytes/);
  });
});

describe('playground chart', () => {
  const run = (method: 'jit' | 'ssd', forgetAfter: number): MethodRun => ({
    method,
    digit: 3,
    before: { retain: 0.97, forget: 0.96, forgetTrain: 1 },
    after: { retain: 0.95, forget: forgetAfter, forgetTrain: 0.2 },
    timeMs: 100,
    backend: 'wasm',
  });

  it('draws a before and an after bar for retain and forget accuracy of each run', () => {
    const svg = accuracyChart([run('jit', 0.26), run('ssd', 0.015)]);
    // 2 runs × 2 metrics × 2 bars, plus the 2 legend swatches.
    expect(svg.match(/<rect /g)).toHaveLength(10);
    expect(svg).toContain('<title>SSD forget 3 after: 1.5%</title>');
    expect(svg).toContain('<title>JIT retain before: 97.0%</title>');
  });

  it('scales bar heights to accuracy', () => {
    const svg = accuracyChart([run('jit', 0.5)]);
    expect(svg).toContain('height="90"'); // half of the 180-pixel plot
  });
});
