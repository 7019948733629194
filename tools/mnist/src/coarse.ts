import * as tf from '@tensorflow/tfjs-core';
import type { MnistSplit } from './data.js';

/**
 * The coarse MNIST task of the sub-class scenario (docs/evaluation.md, Scenarios). MNIST has no
 * fine/coarse labels, so digits are paired into 5 coarse classes, each pair two digits whose
 * handwritten shapes share strokes and are commonly confused: 0 and 6 (closed bottom loop),
 * 1 and 7 (one long stroke), 2 and 5 (the same two turns mirrored), 3 and 8 (a right side of
 * two bowls), 4 and 9 (an upright stroke with a loop or hook on top). Like CIFAR-100's
 * superclasses, forgetting one fine digit then leaves its sibling in the same coarse class,
 * so a model retrained without that digit can still place some of its test samples in the
 * right coarse class through what it learnt from the sibling.
 */
export const MNIST_COARSE_PAIRS: readonly (readonly [number, number])[] = [
  [0, 6],
  [1, 7],
  [2, 5],
  [3, 8],
  [4, 9],
];

export const MNIST_COARSE_CLASSES = MNIST_COARSE_PAIRS.length;

/** Fine digit → coarse class (the index of its pair in `MNIST_COARSE_PAIRS`). */
export const MNIST_COARSE_OF: readonly number[] = Array.from({ length: 10 }, (_, digit) =>
  MNIST_COARSE_PAIRS.findIndex((pair) => pair.includes(digit)),
);

/** The same digits with coarse labels as `y`, and the digit labels kept as `fine`. */
export function toCoarse(split: MnistSplit): MnistSplit & { fine: Int32Array } {
  const fine = Int32Array.from(split.y.dataSync());
  return { x: split.x, y: tf.tensor1d(Array.from(fine, (d) => MNIST_COARSE_OF[d]!), 'int32'), fine };
}
