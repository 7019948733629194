import * as tf from '@tensorflow/tfjs-core';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import { hashWeights, toModelAdapter } from '@unlearn/core';
import { fittedTinyClassifier, syntheticClassification } from '@unlearn/core/testing';

export const hash = (m: LayersModel) => hashWeights(toModelAdapter(m));

export { expectUnlearnError as expectCode } from '@unlearn/core/vitest';

export const trainedClassifier = fittedTinyClassifier;

/** Forget class 0 of 36 synthetic rows (every third), keep classes 1 and 2, on a fitted model. */
export function classForgetting() {
  const all = syntheticClassification({ n: 36, inputDim: 4, classes: 3, seed: 1 });
  const labels = Array.from(all.y.dataSync());
  const rows = (keep: (label: number) => boolean) => tf.tensor1d(labels.flatMap((l, i) => (keep(l) ? [i] : [])), 'int32');
  const [f, r] = [rows((l) => l === 0), rows((l) => l !== 0)];
  const forget = { x: tf.gather(all.x, f), y: tf.gather(all.y, f) };
  const retain = { x: tf.gather(all.x, r), y: tf.gather(all.y, r) };
  tf.dispose([f, r]);
  return {
    model: trainedClassifier(all, { inputDim: 4, hidden: 8, classes: 3, seed: 1 }),
    request: { forget, retain },
    dispose: () => tf.dispose([all.x, all.y, forget.x, forget.y, retain.x, retain.y]),
  };
}
