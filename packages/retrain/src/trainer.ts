import * as tf from '@tensorflow/tfjs-core';
import {
  batchCount,
  datasetSize,
  EtaEstimator,
  hashDataset,
  hashWeights,
  hasLabels,
  isBatchSource,
  iterateBatches,
  nonFiniteVariables,
  UnlearnError,
  type Batch,
  type Dataset,
  type UnlearnContext,
} from '@unlearn/core';
import { checkResumable, type EpochRecord, type RunIdentity } from './checkpoint.js';
import { EpochLoss } from './epoch-loss.js';
import { lossAndAccuracy } from './evaluate.js';
import { createOptimizer, type RecipeOptimizer } from './optimizer.js';
import { restore, save, type BestWeights } from './resume.js';
import type { TrainOptions } from './options.js';
import { splitBatchGradients, stepThreads, type StepThreads } from './parallel-step.js';
import { learningRateAt, needsEpochLength } from './schedule.js';
import { resolveCheckpointStore } from './store.js';

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
  const retain = ctx.request.retain;
  if (!retain) throw new UnlearnError('MISSING_DATA', `${method} needs the retain set (request.retain)`);
  if (!hasLabels(retain)) throw new UnlearnError('MISSING_LABELS', `${method} trains on the retain set and needs its labels (give retain.y)`);
  return retain;
}

const macrotask = (): Promise<void> =>
  new Promise((resolve) => (typeof setImmediate === 'function' ? setImmediate(resolve) : setTimeout(resolve, 0)));

// Long loops on synchronous backends never reach the event loop on their own, so a user's
// abort() from a timer or a UI event would wait for the end of the run.
const YIELD_EVERY_MS = 50;

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
  const lower = options.monitor === 'loss';

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

  const threads: StepThreads = plan.gradients ? { threads: 1 } : await stepThreads(ctx.model, options.threads);
  if (threads.reason) ctx.logger.info(`${method}: training on one thread: ${threads.reason}`);
  const optimizer = plan.optimizer ?? createOptimizer(options);
  let best: BestWeights | undefined;
  let history: EpochRecord[] = [];
  let startEpoch = 0;
  let stopped = false;
  let wait = 0;
  let resumedFromEpoch: number | null = null;
  let batches = 0;
  let samples = 0;
  let trainMs = 0;
  try {
    // Before the resume looks: a kill between a save's renames leaves the checkpoint beside its folder.
    for (const message of (await store?.recover?.()) ?? []) ctx.logger.warn(`${method}: checkpoint: ${message}`);
    if (store && options.resume) {
      const cp = await store.load();
      if (cp) {
        try {
          checkResumable(cp.meta, identity!, store.location);
          ({ best, wait } = await restore(ctx, optimizer, cp));
        } finally {
          tf.dispose(Object.values(cp.tensors));
        }
        history = cp.meta.history;
        startEpoch = cp.meta.completedEpochs;
        stopped = cp.meta.stopped;
        resumedFromEpoch = startEpoch;
        ctx.logger.info(`${method}: resume: continuing from the checkpoint in ${store.location} (epoch ${startEpoch} of ${epochs}, saved ${cp.meta.savedAt})`);
      } else {
        // Said out loud: a silent restart from epoch 0 looks like a resume that worked.
        ctx.logger.warn(`${method}: resume: no checkpoint in ${store.location}; starting from epoch 0`);
      }
    } else if (store && (await store.exists?.())) {
      ctx.logger.warn(`${method}: resume is off, so the checkpoint in ${store.location} will be replaced`);
    }

    const session = { lastYield: performance.now(), lastStep: performance.now() };
    // This session's pace only: a resumed run's earlier epochs were timed by another process.
    const pace = total === undefined ? undefined : new EtaEstimator({ step: total - startEpoch * (perEpoch ?? 0) });
    const eta = (): { etaMs?: number } => {
      const ms = pace?.estimate();
      return ms === undefined ? {} : { etaMs: ms };
    };
    let lr = options.learningRate;
    for (let epoch = startEpoch; epoch < epochs && !stopped; epoch++) {
      const epochStart = performance.now();
      const shuffle = options.shuffle ? ctx.rng.fork(`shuffle/epoch-${epoch}`) : undefined;
      const loss = new EpochLoss(
        (value, batch, rate) =>
          new UnlearnError(
            'DIVERGED',
            `${method}: the training loss became ${value} at epoch ${epoch + 1}, batch ${batch} (learning rate ${rate}); ` +
              `training diverged, so the model was left unchanged: try a smaller learningRate than ${options.learningRate}`,
          ),
      );
      try {
        let b = 0;
        for await (const batch of iterateBatches(data, batchSize, { shuffle })) {
          ctx.throwIfAborted();
          lr = learningRateAt(schedule, options.learningRate, { epoch, batch: b, batchesPerEpoch: perEpoch ?? 0, epochs });
          optimizer.setLearningRate(lr);
          loss.push(await step(ctx, vars, optimizer, batch, options.weightDecay, plan.gradients ?? defaultGradients(ctx, threads)), batch.x.shape[0]!, lr);
          if (b % options.checkEvery === 0) await loss.read();
          b++;
          batches++;
          samples += batch.x.shape[0]!;
          pace?.finish('step', performance.now() - session.lastStep);
          session.lastStep = performance.now();
          const done = perEpoch === undefined ? batches : epoch * perEpoch + b;
          ctx.progress({
            phase: 'train',
            step: done,
            total,
            metrics: { epoch: epoch + 1, batch: b, loss: loss.mean, lr, ...eta() },
          });
          if (performance.now() - session.lastYield > YIELD_EVERY_MS) {
            await macrotask();
            session.lastYield = performance.now();
          }
        }
        await loss.read();
      } finally {
        loss.dispose();
      }
      trainMs += performance.now() - epochStart;
      ctx.throwIfAborted();

      const bad = await nonFiniteVariables(ctx.model);
      if (bad.length > 0) {
        throw new UnlearnError(
          'DIVERGED',
          `${method}: weights became NaN or Infinity in epoch ${epoch + 1} (${bad.join(', ')}); try a smaller learningRate than ${options.learningRate}`,
        );
      }
      const record: EpochRecord = { epoch: epoch + 1, loss: loss.mean, lr };
      if (validation) {
        const v = await lossAndAccuracy(ctx.model, validation, Math.max(batchSize, 256));
        record.valLoss = v.loss;
        record.valAccuracy = v.accuracy;
        if (options.patience !== undefined) {
          const value = lower ? v.loss : v.accuracy;
          if (!best || (lower ? value < best.value : value > best.value)) {
            if (best) tf.dispose(best.tensors);
            best = { value, epoch: epoch + 1, tensors: ctx.model.variables.map((x) => tf.keep(x.variable.clone())) };
            wait = 0;
          } else if (++wait >= options.patience) {
            stopped = true;
          }
        }
      }
      history.push(record);
      const done = perEpoch === undefined ? batches : (epoch + 1) * perEpoch;
      ctx.progress({
        phase: 'train',
        step: done,
        total,
        metrics: {
          epoch: epoch + 1,
          epochsDone: epoch + 1,
          loss: record.loss,
          lr,
          ...eta(),
          ...(record.valLoss !== undefined ? { valLoss: record.valLoss, valAccuracy: record.valAccuracy! } : {}),
        },
      });
      if (store) await save(store, ctx, optimizer, identity!, { completedEpochs: epoch + 1, stopped, history, best, wait });
    }

    if (best && options.restoreBest) {
      ctx.model.variables.forEach((v, i) => v.variable.assign(best!.tensors[i]!));
    }
    const seconds = trainMs / 1000;
    return {
      epochsRun: history.length,
      stoppedEarly: stopped,
      bestEpoch: best?.epoch ?? null,
      resumedFromEpoch,
      history,
      batches,
      samplesPerSecond: seconds > 0 ? samples / seconds : 0,
      threads: threads.threads,
      checkpoint: store?.location ?? null,
      retainSha256: dataHash ?? null,
    };
  } finally {
    threads.session?.close();
    if (!plan.optimizer) optimizer.dispose();
    if (best) tf.dispose(best.tensors);
  }
}

function validationSet(method: string, ctx: UnlearnContext, options: TrainOptions): Dataset | undefined {
  const validation = ctx.request.validation;
  if (options.patience !== undefined) {
    if (!validation) throw new UnlearnError('MISSING_DATA', `${method}: early stopping (patience) needs a validation set (request.validation)`);
    if (!hasLabels(validation)) throw new UnlearnError('MISSING_LABELS', `${method}: early stopping needs labels on the validation set`);
  }
  return validation && hasLabels(validation) ? validation : undefined;
}

function defaultGradients(ctx: UnlearnContext, threads: StepThreads): BatchGradients {
  return (batch) => splitBatchGradients(ctx.model, batch.x, batch.y!, threads, ctx.signal);
}

async function step(
  ctx: UnlearnContext,
  vars: tf.Variable[],
  optimizer: RecipeOptimizer,
  batch: Batch,
  weightDecay: number,
  gradients: BatchGradients,
): Promise<tf.Scalar> {
  const { loss, grads } = await gradients(batch);
  if (grads.length !== vars.length) {
    tf.dispose([loss, ...grads]);
    // A method's bug, not the caller's input.
    throw new Error(`trainLoop: the objective returned ${grads.length} gradients for ${vars.length} trainable variables`);
  }
  tf.tidy(() => {
    // Every variable gets a gradient (zeros when unused): tfjs optimizers key their state by position.
    const named = vars.map((v, i) => ({ name: v.name, tensor: weightDecay > 0 ? tf.add(grads[i]!, tf.mul(v, weightDecay)) : grads[i]! }));
    optimizer.optimizer.applyGradients(named);
  });
  tf.dispose(grads);
  return loss;
}
