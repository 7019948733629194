import * as tf from '@tensorflow/tfjs-core';
import { createRng, toModelAdapter, UnlearnError } from '@unlearn/core';
import type { FunctionModel, ModelAdapter, UnlearnableModel } from '@unlearn/core';

// Scale and shift parameters must start at the identity, or a "random" network would be dead.
const ONES = /(gamma|moving_variance|scale)/i;

/**
 * A copy of `model` with freshly initialised, seeded weights: the "random network" of ZRF.
 * Function models use their own `init(seed)`; layers models get Glorot-uniform kernels, zero
 * biases and identity normalisation parameters (tfjs-layers initialisers cannot be seeded here).
 */
export async function randomlyInitialised(model: UnlearnableModel | ModelAdapter, seed: number): Promise<ModelAdapter> {
  const copy = await toModelAdapter(model).clone();
  if (copy.kind === 'function') {
    const fn = copy.model as FunctionModel;
    if (!fn.init) {
      copy.dispose();
      throw new UnlearnError(
        'UNSUPPORTED_MODEL',
        'ZRF needs a randomly initialised copy of the model: give the function model an init(seed) method or pass randomModel',
      );
    }
    fn.init(seed);
    return copy;
  }
  const rng = createRng(seed).fork('zrf-random-init');
  for (const { name, variable } of copy.variables) {
    const size = variable.size;
    const data = new Float32Array(size);
    if (variable.rank >= 2) {
      const fanOut = variable.shape[variable.rank - 1]!;
      const receptive = variable.shape.slice(0, -2).reduce((a, b) => a * b, 1);
      const fanIn = variable.shape[variable.rank - 2]! * receptive;
      const limit = Math.sqrt(6 / (fanIn + fanOut * receptive));
      for (let i = 0; i < size; i++) data[i] = (rng.next() * 2 - 1) * limit;
    } else if (ONES.test(name)) {
      data.fill(1);
    }
    const value = tf.tensor(data, variable.shape, variable.dtype);
    variable.assign(value);
    value.dispose();
  }
  return copy;
}
