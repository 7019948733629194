import * as tf from '@tensorflow/tfjs-core';
import { requiredRetain, requireLabels, type Batch, type Dataset, type UnlearnContext } from '@unlearn/core';
import type { EpochRecord } from './checkpoint.js';
import { createOptimizer, type RecipeOptimizer } from './optimizer.js';
import type { TrainOptions } from './options.js';
import { stepThreads, type StepThreads } from './parallel-step.js';
import { endEpoch, LoopClock, trainEpoch } from './train-epoch.js';
import { freshState, resumeFrom, setUpLoop, type LoopSetup, type LoopState } from './train-setup.js';

/** What a training run reports in the unlearn result's details (JSON-safe). */
export interface TrainReport {
  epochsRun: number;
  stoppedEarly: boolean;
  bestEpoch: number | null;
  resumedFromEpoch: number | null;
  history: EpochRecord[];
  batches: number;
  samplesPerSecond: number;
  /** Threads each training step used (the `threads` option, or 1 where it could not be used). */
  threads: number;
  checkpoint: string | null;
  /** core's hashDataset of the retain set trained on (null for a stream run without a checkpoint). */
  retainSha256: string | null;
}

/** Checks the retain set before any weight changes: present, non-empty (core checked both), labelled. */
export function retainSet(method: string, ctx: UnlearnContext): Dataset {
  // Core checked both from the method's declared needs; this narrows the type for the loop.
  const retain = requiredRetain(ctx.request, method);
  requireLabels(retain, { method, split: 'retain', why: 'it trains on the retain set' });
  return retain;
}

/**
 * Trains `ctx.model` on the retain set with the recipe: seeded reshuffling every epoch (derived
 * from the run seed and the epoch, so a resumed run shuffles exactly like an uninterrupted one),
 * the learning-rate schedule, weight decay, an optional validation set with early stopping, a
 * NaN guard, progress, abort between batches and per-epoch checkpoints.
 */
export function trainOnRetain(ctx: UnlearnContext, method: string, options: TrainOptions, recipe: Record<string, unknown>): Promise<TrainReport> {
  return trainLoop(ctx, method, options, recipe, { data: retainSet(method, ctx) });
}

/** One batch's loss and gradients, in `model.trainable` order; the loop owns and disposes both. */
export type BatchGradients = (batch: Batch) => { loss: tf.Scalar; grads: tf.Tensor[] } | Promise<{ loss: tf.Scalar; grads: tf.Tensor[] }>;

/** What a training loop goes through and what it minimises; methods built on the trainer fill it in. */
export interface TrainPlan {
  /** The examples each epoch goes through, e.g. the retain set plus relabelled forget examples. */
  data: Dataset;
  /**
   * The objective, e.g. a distillation or negative-gradient loss. Default: the mean cross-entropy
   * of `batch.y`, split between `threads` threads. A custom objective runs on the calling thread.
   */
  gradients?: BatchGradients;
  /**
   * An optimizer the caller keeps across several loops (e.g. SCRUB's alternating phases); the loop
   * then does not dispose it. Default: a new one from the options.
   */
  optimizer?: RecipeOptimizer;
}

/**
 * The training loop behind retrain, finetune and the methods that train (Amnesiac, SalUn, ...):
 * `options.epochs` passes over `plan.data` minimising `plan.gradients`, with everything
 * `trainOnRetain` describes.
 */
export async function trainLoop(
  ctx: UnlearnContext,
  method: string,
  options: TrainOptions,
  recipe: Record<string, unknown>,
  plan: TrainPlan,
): Promise<TrainReport> {
  const setup = await setUpLoop(ctx, method, options, recipe, plan);
  const threads: StepThreads = plan.gradients ? { threads: 1 } : await stepThreads(ctx.model, options.threads);
  if (threads.reason) ctx.logger.info(`${method}: training on one thread: ${threads.reason}`);
  const optimizer = plan.optimizer ?? createOptimizer(options);
  const state = freshState(options);
  try {
    await resumeFrom(ctx, setup, optimizer, state);
    const run = { optimizer, threads, state, clock: new LoopClock(setup, state.startEpoch) };
    for (let epoch = state.startEpoch; epoch < options.epochs && !state.stopped; epoch++) {
      const meanLoss = await trainEpoch(ctx, setup, run, epoch);
      await endEpoch(ctx, setup, run, epoch, meanLoss);
    }
    const { best } = state;
    if (best && options.restoreBest) {
      ctx.model.variables.forEach((v, i) => v.variable.assign(best.tensors[i]!));
    }
    return trainReport(setup, state, threads);
  } finally {
    threads.session?.close();
    if (!plan.optimizer) optimizer.dispose();
    if (state.best) tf.dispose(state.best.tensors);
  }
}

function trainReport(setup: LoopSetup, state: LoopState, threads: StepThreads): TrainReport {
  const seconds = state.trainMs / 1000;
  return {
    epochsRun: state.history.length,
    stoppedEarly: state.stopped,
    bestEpoch: state.best?.epoch ?? null,
    resumedFromEpoch: state.resumedFromEpoch,
    history: state.history,
    batches: state.batches,
    samplesPerSecond: seconds > 0 ? state.samples / seconds : 0,
    threads: threads.threads,
    checkpoint: setup.store?.location ?? null,
    retainSha256: setup.dataHash ?? null,
  };
}
