import * as tf from '@tensorflow/tfjs-core';
import type { MnistSplit } from './data.js';

/** Splits a labelled set into the samples of `digit` and the rest. */
export function splitByDigit(data: MnistSplit, digit: number): { forget: MnistSplit; retain: MnistSplit } {
  const labels = data.y.dataSync();
  const inDigit: number[] = [];
  const rest: number[] = [];
  labels.forEach((label, i) => (label === digit ? inDigit : rest).push(i));
  const take = (idx: number[]): MnistSplit =>
    tf.tidy(() => {
      const i = tf.tensor1d(idx, 'int32');
      return { x: tf.gather(data.x, i) as tf.Tensor4D, y: tf.gather(data.y, i) as tf.Tensor1D };
    });
  return { forget: take(inDigit), retain: take(rest) };
}
