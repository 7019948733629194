import * as tf from '@tensorflow/tfjs-core';
import type { MnistSplit } from './data.js';

/**
 * The coarse MNIST task of the sub-class scenario (docs/evaluation.md, Scenarios). MNIST has no
 * fine/coarse labels, so digits are paired into 5 coarse classes. The scenario forgets digit 3,
 * so 3's sibling is the digit a model that never saw a 3 takes it for most often: the 10-class
 * CNN retrained without 3 (the report's full-class(3) reference, seed 0) labels 51% of the test
 * 3s as 5, 20% as 8, 12% as 9. With 3 paired with 5, a model retrained without 3 still puts many
 * 3s in their coarse class, which is what separates sub-class from full-class forgetting
 * (CIFAR-20's fine classes inside a superclass). With 3 paired with 8 instead, the retrained
 * coarse model put only 2.4% of the test 3s in {3, 8} (most went to {2, 5}): no sibling effect.
 * The other pairs are digits whose handwritten shapes share strokes: 0 and 6 (a closed bottom
 * loop), 1 and 7 (one long stroke), 4 and 9 (an upright stroke with a loop or hook on top); 2
 * and 8 are the pair left over.
 */
export const MNIST_COARSE_PAIRS: readonly (readonly [number, number])[] = [
  [0, 6],
  [1, 7],
  [2, 8],
  [3, 5],
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
