import * as tf from '@tensorflow/tfjs-core';
import {
  batchCount,
  datasetSize,
  hashDataset,
  hashWeights,
  hasLabels,
  isBatchSource,
  requireLabels,
  UnlearnError,
  type Dataset,
  type UnlearnContext,
} from '@unlearn/core';
import { checkResumable, type CheckpointStore, type EpochRecord, type RunIdentity } from './checkpoint.js';
import type { TrainOptions } from './options.js';
import type { RecipeOptimizer } from './optimizer.js';
import { restore, type BestWeights } from './resume.js';
import { needsEpochLength } from './schedule.js';
import { resolveCheckpointStore } from './store.js';
import type { TrainPlan } from './trainer.js';

/** What one training loop settles before its first batch. */
export interface LoopSetup {
  method: string;
  options: TrainOptions;
  plan: TrainPlan;
  /** Batches per epoch and in the whole run; undefined for a stream of unknown size. */
  perEpoch: number | undefined;
  total: number | undefined;
  /** The labelled validation set, if the request has one. */
  validation: Dataset | undefined;
  vars: tf.Variable[];
  store: CheckpointStore | undefined;
  /** core's hashDataset of the training data (undefined for a stream run without a checkpoint). */
  dataHash: string | undefined;
  /** What a checkpoint must match to be resumed (with a checkpoint store only). */
  identity: RunIdentity | undefined;
}

/** What changes as the loop runs, and what a checkpoint saves and restores. */
export interface LoopState {
  best: BestWeights | undefined;
  history: EpochRecord[];
  startEpoch: number;
  stopped: boolean;
  /** Epochs since the best one, for early stopping. */
  wait: number;
  resumedFromEpoch: number | null;
  batches: number;
  samples: number;
  trainMs: number;
  /** The learning rate of the last batch. */
  lr: number;
}

/** Checks the plan against the options and works out the sizes, the checkpoint store and the run's identity. */
export async function setUpLoop(ctx: UnlearnContext, method: string, options: TrainOptions, recipe: Record<string, unknown>, plan: TrainPlan): Promise<LoopSetup> {
  const data = plan.data;
  const size = datasetSize(data);
  const { epochs, batchSize, schedule } = options;
  if (size === undefined && needsEpochLength(schedule)) {
    throw new UnlearnError('INVALID_OPTION', `${method}: the ${schedule.kind} schedule needs the retain set's size; give the stream a size`);
  }
  const validation = validationSet(method, ctx, options);
  const perEpoch = size === undefined ? undefined : batchCount(size, batchSize);
  const total = perEpoch === undefined ? undefined : perEpoch * epochs;
  const vars = ctx.model.trainable.map((v) => v.variable);

  const store = await resolveCheckpointStore(method, options);
  // In memory the hash is cheap, so every report has it; a stream is read an extra time only for a checkpoint.
  const dataHash = store || !isBatchSource(data) ? await hashDataset(data, ctx.signal) : undefined;
  const identity: RunIdentity | undefined = store && {
    method,
    seed: ctx.rng.seed,
    recipe,
    variables: ctx.model.variables.map((v) => ({ name: v.name, shape: v.variable.shape.slice() })),
    startHash: await hashWeights(ctx.model),
    dataSize: size ?? null,
    dataHash: dataHash!,
  };
  return { method, options, plan, perEpoch, total, validation, vars, store, dataHash, identity };
}

export function freshState(options: TrainOptions): LoopState {
  return {
    best: undefined,
    history: [],
    startEpoch: 0,
    stopped: false,
    wait: 0,
    resumedFromEpoch: null,
    batches: 0,
    samples: 0,
    trainMs: 0,
    lr: options.learningRate,
  };
}

/**
 * Where the loop starts: from the checkpoint when `resume` finds one that matches this run
 * (weights, optimizer state and early-stopping state restored into `state`), else from epoch 0.
 */
export async function resumeFrom(ctx: UnlearnContext, setup: LoopSetup, optimizer: RecipeOptimizer, state: LoopState): Promise<void> {
  const { store, method, options } = setup;
  // Before the resume looks: a kill between a save's renames leaves the checkpoint beside its folder.
  for (const message of (await store?.recover?.()) ?? []) ctx.logger.warn(`${method}: checkpoint: ${message}`);
  if (store && options.resume) {
    const cp = await store.load();
    if (cp) {
      try {
        checkResumable(cp.meta, setup.identity!, store.location);
        ({ best: state.best, wait: state.wait } = await restore(ctx, optimizer, cp));
      } finally {
        tf.dispose(Object.values(cp.tensors));
      }
      state.history = cp.meta.history;
      state.startEpoch = cp.meta.completedEpochs;
      state.stopped = cp.meta.stopped;
      state.resumedFromEpoch = state.startEpoch;
      ctx.logger.info(`${method}: resume: continuing from the checkpoint in ${store.location} (epoch ${state.startEpoch} of ${options.epochs}, saved ${cp.meta.savedAt})`);
    } else {
      // Said out loud: a silent restart from epoch 0 looks like a resume that worked.
      ctx.logger.warn(`${method}: resume: no checkpoint in ${store.location}; starting from epoch 0`);
    }
  } else if (store && (await store.exists?.())) {
    ctx.logger.warn(`${method}: resume is off, so the checkpoint in ${store.location} will be replaced`);
  }
}

function validationSet(method: string, ctx: UnlearnContext, options: TrainOptions): Dataset | undefined {
  const validation = ctx.request.validation;
  if (options.patience !== undefined) {
    if (!validation) {
      throw new UnlearnError('MISSING_DATA', `${method}: early stopping (patience) needs a validation set (request.validation)`, {
        split: 'validation',
        field: 'x',
      });
    }
    requireLabels(validation, { method, split: 'validation', why: 'early stopping measures the validation loss' });
  }
  return validation && hasLabels(validation) ? validation : undefined;
}
