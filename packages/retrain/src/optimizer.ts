import * as tf from '@tensorflow/tfjs-core';
import type { TrainOptions } from './options.js';

export interface NamedTensor {
  name: string;
  tensor: tf.Tensor;
}

// Fields tfjs keeps protected. Adam reads `learningRate` on every step and has no setter;
// its bias-correction powers are re-derived with pow() by setWeights(), which differs in the
// last bit from the running product, so an exact resume saves and restores them as they are.
interface AdamInternals {
  learningRate: number;
  accBeta1: tf.Variable;
  accBeta2: tf.Variable;
}

/** A tfjs optimizer plus what tfjs leaves out: a learning-rate setter and exact state save/restore. */
export interface RecipeOptimizer {
  readonly optimizer: tf.Optimizer;
  setLearningRate(lr: number): void;
  /** Every state tensor (the caller owns the returned copies). */
  state(): Promise<NamedTensor[]>;
  restore(state: NamedTensor[]): Promise<void>;
  dispose(): void;
}

// getWeights() returns a fresh 'iter' scalar first, then the optimizer's own variables.
function ownCopies(weights: NamedTensor[]): NamedTensor[] {
  return weights.map((w, i) => (i === 0 ? w : { name: w.name, tensor: w.tensor.clone() }));
}

export function createOptimizer(options: Pick<TrainOptions, 'optimizer' | 'learningRate' | 'momentum'>): RecipeOptimizer {
  let current = options.learningRate;
  if (options.optimizer === 'adam') {
    const adam = tf.train.adam(current);
    const internals = adam as unknown as AdamInternals;
    return {
      optimizer: adam,
      setLearningRate(lr) {
        internals.learningRate = lr;
      },
      async state() {
        return [
          ...ownCopies(await adam.getWeights()),
          { name: 'adam/accBeta1', tensor: internals.accBeta1.clone() },
          { name: 'adam/accBeta2', tensor: internals.accBeta2.clone() },
        ];
      },
      async restore(state) {
        const accBeta = state.slice(-2);
        await adam.setWeights(state.slice(0, -2));
        internals.accBeta1.assign(accBeta[0]!.tensor as tf.Scalar);
        internals.accBeta2.assign(accBeta[1]!.tensor as tf.Scalar);
      },
      dispose: () => adam.dispose(),
    };
  }
  const sgd = options.momentum > 0 ? tf.train.momentum(current, options.momentum) : tf.train.sgd(current);
  return {
    optimizer: sgd,
    setLearningRate(lr) {
      // setLearningRate allocates a scalar; skip it while the schedule holds the rate constant.
      if (lr === current) return;
      current = lr;
      sgd.setLearningRate(lr);
    },
    async state() {
      return ownCopies(await sgd.getWeights());
    },
    async restore(state) {
      await sgd.setWeights(state);
    },
    dispose() {
      // MomentumOptimizer.dispose() forgets the learning-rate scalar its SGD parent allocated.
      const c = (sgd as unknown as { c?: tf.Tensor }).c;
      sgd.dispose();
      c?.dispose();
    },
  };
}
