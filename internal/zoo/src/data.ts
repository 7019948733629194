import * as tf from '@tensorflow/tfjs-core';
import { createRng, shuffledIndices } from '@unlearn/core';

export interface CifarLikeOptions {
  /** Samples. */
  n: number;
  /** Classes (default 10); labels are balanced, counts differ by one at most. */
  classes?: number;
  /** Fixes every pixel and label (default 1). */
  seed?: number;
  /** Standard deviation of the per-pixel Gaussian noise (default 0.1; the grating's amplitude is 0.07 to 0.35 per channel). */
  noise?: number;
  /** Image side (default 32). */
  size?: number;
}

export interface CifarLikeData {
  /** [n, size, size, 3] float32 in [0, 1]. */
  x: tf.Tensor4D;
  /** [n] int32 class indices. */
  y: tf.Tensor1D;
}

/** Per class: a grating's orientation, spatial frequency and colour. */
interface ClassPattern {
  angle: number;
  cycles: number;
  colour: [number, number, number];
}

/**
 * Orientations are spread over half a turn, so the first and last classes are neighbours as
 * much as any two consecutive ones; neighbours always differ in frequency too (odd classes have
 * 7 cycles per image, even ones 4), and hues follow the golden ratio so that no two classes
 * close in orientation share a colour.
 */
function classPattern(c: number, classes: number): ClassPattern {
  const hue = 2 * Math.PI * ((c * 0.6180339887) % 1);
  const colour = [0, 1, 2].map((k) => 0.35 + 0.65 * Math.cos(hue + (2 * Math.PI * k) / 3) ** 2) as [number, number, number];
  return { angle: (Math.PI * c) / classes, cycles: c % 2 ? 7 : 4, colour };
}

/**
 * A synthetic, CIFAR-shaped labelled set, made deterministically from the seed (nothing can be
 * downloaded here). Each class is a coloured sinusoidal grating with its own orientation,
 * frequency and colour; every sample draws its phase, contrast, orientation jitter and a
 * class-independent background tint, plus Gaussian noise per pixel and channel. The class is
 * in the pattern, not in the mean colour of the image, so a model must learn spatial filters,
 * and each class can be forgotten on its own: a small CNN learns it to more than 90% in a few
 * epochs (test/learnable.test.ts), per class, so the accuracy on a forgotten class has room to fall.
 */
export function cifarLike(options: CifarLikeOptions): CifarLikeData {
  const { n } = options;
  const classes = options.classes ?? 10;
  const size = options.size ?? 32;
  const sigma = options.noise ?? 0.1;
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`n must be a positive integer (got ${n})`);
  if (!Number.isInteger(classes) || classes < 2) throw new RangeError(`classes must be an integer of at least 2 (got ${classes})`);
  const rng = createRng(options.seed ?? 1).fork('cifar-like');
  const patterns = Array.from({ length: classes }, (_, c) => classPattern(c, classes));
  const labels = Int32Array.from(shuffledIndices(n, rng.fork('labels')), (i) => i % classes);
  const pixels = new Float32Array(n * size * size * 3);
  for (let i = 0; i < n; i++) {
    const p = patterns[labels[i]!]!;
    const angle = p.angle + (rng.next() - 0.5) * 0.1;
    const phase = rng.next() * 2 * Math.PI;
    const contrast = 0.6 + 0.4 * rng.next();
    const background = [0.3 + 0.4 * rng.next(), 0.3 + 0.4 * rng.next(), 0.3 + 0.4 * rng.next()];
    const kx = (2 * Math.PI * p.cycles * Math.cos(angle)) / size;
    const ky = (2 * Math.PI * p.cycles * Math.sin(angle)) / size;
    let o = i * size * size * 3;
    for (let h = 0; h < size; h++) {
      for (let w = 0; w < size; w++) {
        const wave = 0.35 * contrast * Math.sin(kx * w + ky * h + phase);
        for (let ch = 0; ch < 3; ch++) {
          const v = background[ch]! + wave * p.colour[ch]! + sigma * rng.normal();
          pixels[o++] = v < 0 ? 0 : v > 1 ? 1 : v;
        }
      }
    }
  }
  return { x: tf.tensor4d(pixels, [n, size, size, 3]), y: tf.tensor1d(labels, 'int32') };
}
