import * as tf from '@tensorflow/tfjs-core';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import { createRng } from './rng.js';

/**
 * Overwrites every weight with seeded Glorot-uniform values (biases 0.01), because tfjs-layers
 * initialisers draw from an unseeded generator.
 */
export function seedWeights(model: LayersModel, seed: number): void {
  const rng = createRng(seed).fork('weights');
  const values = model.getWeights().map((w) => {
    const size = w.size;
    const data = new Float32Array(size);
    if (w.rank === 1) data.fill(0.01);
    else {
      const fanOut = w.shape[w.rank - 1]!;
      const fanIn = size / fanOut;
      const limit = Math.sqrt(6 / (fanIn + fanOut));
      for (let i = 0; i < size; i++) data[i] = (rng.next() * 2 - 1) * limit;
    }
    return tf.tensor(data, w.shape);
  });
  model.setWeights(values);
  values.forEach((v) => v.dispose());
}
