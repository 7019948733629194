import * as tf from '@tensorflow/tfjs-core';
import { unlearn, type FunctionModel } from '@unlearn/core';
import { jit } from '@unlearn/jit';

// #region function-model
/** A model that is not a tfjs-layers model: its variables and a forward function. */
export function linearModel(inputDim: number, classes: number, seed = 1): FunctionModel {
  // tidy frees the initial values; the variables keep their own reference to the data.
  const [w, b] = tf.tidy(() => [tf.variable(tf.randomNormal([inputDim, classes], 0, 0.5, 'float32', seed)), tf.variable(tf.zeros([classes]))]);
  return {
    variables: [w, b],
    apply: (x) => tf.add(tf.matMul(x as tf.Tensor2D, w), b), // logits
    inputShape: [inputDim],
    numClasses: classes,
    // Needed unless runs are inPlace: the runner works on a copy.
    clone: () => {
      const copy = linearModel(inputDim, classes, seed);
      copy.variables[0]!.assign(w);
      copy.variables[1]!.assign(b);
      return copy;
    },
  };
}
// #endregion function-model

export async function main(forgetInputs: tf.Tensor2D) {
  const model = linearModel(forgetInputs.shape[1], 3);
  const result = await unlearn(model, { forget: { x: forgetInputs } }, jit({ sigma: 0.3, lr: 0.01, nSamples: 4 }));
  return { model, result };
}
