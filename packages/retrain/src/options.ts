import type { UnlearnableModel } from '@unlearn/core';
import type { CheckpointStore } from './checkpoint.js';

export type OptimizerName = 'sgd' | 'adam';

/**
 * Learning rate per batch. `multistep` is the reference's fit_one_cycle schedule
 * (docs/algorithms/retrain.md, The reference recipes): a per-batch linear warm-up from 0 sized to
 * `warmupEpochs` epochs but applied through epoch `warmupEpochs` inclusive (so it overshoots to
 * (warmupEpochs + 1) / warmupEpochs × lr), then lr · gamma^(number of milestones ≤ epoch).
 * `onecycle` is PyTorch's OneCycleLR (cosine, two phases) peaking at the recipe's learning rate,
 * without momentum cycling.
 */
export type LrSchedule =
  | { kind: 'constant' }
  | { kind: 'multistep'; milestones: number[]; gamma?: number; warmupEpochs?: number }
  | { kind: 'onecycle'; pctStart?: number; divFactor?: number; finalDivFactor?: number };

/** The training recipe shared by retrain and finetune. */
export interface TrainOptions {
  epochs: number;
  batchSize: number;
  optimizer: OptimizerName;
  /** Base (or, for onecycle, peak) learning rate. */
  learningRate: number;
  /** SGD momentum (PyTorch convention: buf = m·buf + g). Ignored by Adam. */
  momentum: number;
  /** L2 penalty added to every gradient as weightDecay·θ (PyTorch's coupled weight_decay, all parameters). */
  weightDecay: number;
  schedule: LrSchedule;
  /** Reshuffle the retain set every epoch with a generator derived from the run seed and the epoch. */
  shuffle: boolean;
  /** Early stopping: epochs without improvement on request.validation before stopping. Off when undefined. */
  patience?: number;
  /** Validation metric early stopping watches. */
  monitor: 'loss' | 'accuracy';
  /** With early stopping, end with the weights of the best validation epoch. */
  restoreBest: boolean;
  /** Read the loss (and check it is finite) every this many batches; reading forces a device sync. */
  checkEvery: number;
  /** Node only: save a checkpoint into this folder after every epoch (atomically). */
  checkpointDir?: string;
  /** Where to save checkpoints, for environments without a file system (overrides checkpointDir). */
  checkpointStore?: CheckpointStore;
  /** Continue from the checkpoint's last complete epoch instead of starting over. */
  resume: boolean;
  /**
   * Threads per training step (Node, LayersModel, wasm or cpu backend): each batch is split
   * between the calling thread and `threads - 1` worker threads holding a replica of the model,
   * and the gradients are averaged by rows, which is the full-batch gradient up to float rounding
   * (the summation order changes). Default 1, so that a seeded run gives the same weights on any
   * machine; with more, the same weights for the same thread count. Models with state updated in
   * training (batch normalisation statistics) always use 1.
   */
  threads?: number;
  /** A named recipe (`RETRAIN_PRESETS` / `FINETUNE_PRESETS`) whose values fill the unset options. */
  preset?: string;
}

export type Reinit = 'all' | 'head';

export interface RetrainOptions extends TrainOptions {
  /** 'all' re-draws every weight (a true retrain); 'head' only the last layer with weights (as R1/R2). */
  reinit: Reinit;
  /**
   * A custom re-initialiser, used instead of the built-in one: required for function models that
   * have no `init(seed)`, and for layers whose initialisers are not reproducible here.
   */
  init?: (model: UnlearnableModel, seed: number, reinit: Reinit) => void | Promise<void>;
}

export type FinetuneOptions = TrainOptions;

const baseDefaults = {
  shuffle: true,
  monitor: 'loss',
  restoreBest: true,
  checkEvery: 10,
  resume: false,
  threads: 1,
} as const;

/**
 * Retrain defaults = the MNIST preset: the recipe this project's reference CNN was trained with
 * (Adam 1e-3, batch 64, 20 epochs; internal/mnist/model/TRAINING.md), because a retrain is "the original
 * recipe on the retain set" (docs/algorithms/retrain.md, The reference recipes) and that recipe is
 * known to converge on this data.
 */
export const DEFAULT_RETRAIN_OPTIONS: RetrainOptions = {
  ...baseDefaults,
  epochs: 20,
  batchSize: 64,
  optimizer: 'adam',
  learningRate: 1e-3,
  momentum: 0,
  weightDecay: 0,
  schedule: { kind: 'constant' },
  reinit: 'all',
  preset: 'mnist-cnn',
};

/**
 * Finetune defaults = the reference's finetune (docs/algorithms/retrain.md, The reference recipes):
 * 5 epochs SGD 0.02, momentum 0.9, wd 5e-4.
 */
export const DEFAULT_FINETUNE_OPTIONS: FinetuneOptions = {
  ...baseDefaults,
  epochs: 5,
  batchSize: 64,
  optimizer: 'sgd',
  learningRate: 0.02,
  momentum: 0.9,
  weightDecay: 5e-4,
  schedule: { kind: 'constant' },
  preset: 'reference',
};

/** The options that decide the trained weights; a checkpoint is only resumed under the same values. */
export function recipeOf(options: TrainOptions & Partial<Pick<RetrainOptions, 'reinit'>>): Record<string, unknown> {
  const { epochs, batchSize, optimizer, learningRate, momentum, weightDecay, schedule, shuffle, patience, monitor, restoreBest } = options;
  return {
    epochs,
    batchSize,
    optimizer,
    learningRate,
    momentum,
    weightDecay,
    schedule,
    shuffle,
    patience: patience ?? null,
    monitor,
    restoreBest,
    reinit: options.reinit ?? 'none',
    customInit: 'init' in options && options.init !== undefined,
  };
}
