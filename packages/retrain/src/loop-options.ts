import type { TrainOptions } from './options.js';

/** The recipe fields a method passes through to the loop as they are (`threads` where it has one). */
export type LoopRecipe = Pick<TrainOptions, 'epochs' | 'batchSize' | 'optimizer' | 'learningRate' | 'momentum' | 'weightDecay' | 'shuffle' | 'checkEvery' | 'threads'>;

/**
 * `trainLoop` options for a method that runs the loop with its own objective: the method's
 * recipe, with a constant rate (its specification has no schedule), no early stopping (it has no
 * validation set to watch, so `restoreBest` is off too), no checkpoints or resume (a method's run
 * is short and restarts from the start), no preset, and one thread unless the recipe asks for more
 * (one thread gives the same weights on any machine). `overrides` states where a method differs.
 */
export function loopOptions(recipe: LoopRecipe, overrides: Partial<TrainOptions> = {}): TrainOptions {
  return {
    epochs: recipe.epochs,
    batchSize: recipe.batchSize,
    optimizer: recipe.optimizer,
    learningRate: recipe.learningRate,
    momentum: recipe.momentum,
    weightDecay: recipe.weightDecay,
    schedule: { kind: 'constant' },
    shuffle: recipe.shuffle,
    patience: undefined,
    monitor: 'loss',
    restoreBest: false,
    checkEvery: recipe.checkEvery,
    resume: false,
    threads: recipe.threads ?? 1,
    preset: undefined,
    ...overrides,
  };
}
