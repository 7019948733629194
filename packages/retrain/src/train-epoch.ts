import * as tf from '@tensorflow/tfjs-core';
import { EtaEstimator, iterateBatches, nonFiniteVariables, UnlearnError, type Batch, type UnlearnContext } from '@unlearn/core';
import type { EpochRecord } from './checkpoint.js';
import { EpochLoss } from './epoch-loss.js';
import { lossAndAccuracy } from './evaluate.js';
import type { RecipeOptimizer } from './optimizer.js';
import { splitBatchGradients, type StepThreads } from './parallel-step.js';
import { save } from './resume.js';
import { learningRateAt } from './schedule.js';
import type { LoopSetup, LoopState } from './train-setup.js';
import type { BatchGradients } from './trainer.js';

const macrotask = (): Promise<void> =>
  new Promise((resolve) => (typeof setImmediate === 'function' ? setImmediate(resolve) : setTimeout(resolve, 0)));

// Long loops on synchronous backends never reach the event loop on their own, so a user's
// abort() from a timer or a UI event would wait for the end of the run.
const YIELD_EVERY_MS = 50;

/** This session's pace (for the ETA) and when the loop last gave the event loop a turn. */
export class LoopClock {
  private lastYield = performance.now();
  private lastStep = performance.now();
  private readonly pace: EtaEstimator | undefined;

  constructor(setup: LoopSetup, startEpoch: number) {
    // This session's pace only: a resumed run's earlier epochs were timed by another process.
    this.pace = setup.total === undefined ? undefined : new EtaEstimator({ step: setup.total - startEpoch * (setup.perEpoch ?? 0) });
  }

  stepDone(): void {
    this.pace?.finish('step', performance.now() - this.lastStep);
    this.lastStep = performance.now();
  }

  eta(): { etaMs?: number } {
    const ms = this.pace?.estimate();
    return ms === undefined ? {} : { etaMs: ms };
  }

  async yieldNow(): Promise<void> {
    if (performance.now() - this.lastYield > YIELD_EVERY_MS) {
      await macrotask();
      this.lastYield = performance.now();
    }
  }
}

/** One pass over the data, a step per batch with progress and abort checks; returns the epoch's mean loss. */
export async function trainEpoch(
  ctx: UnlearnContext,
  setup: LoopSetup,
  run: { optimizer: RecipeOptimizer; threads: StepThreads; state: LoopState; clock: LoopClock },
  epoch: number,
): Promise<number> {
  const { method, options, plan, perEpoch, total, vars } = setup;
  const { optimizer, state, clock } = run;
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
    const gradients = plan.gradients ?? defaultGradients(ctx, run.threads);
    let b = 0;
    for await (const batch of iterateBatches(plan.data, options.batchSize, { shuffle })) {
      ctx.throwIfAborted();
      state.lr = learningRateAt(options.schedule, options.learningRate, { epoch, batch: b, batchesPerEpoch: perEpoch ?? 0, epochs: options.epochs });
      optimizer.setLearningRate(state.lr);
      loss.push(await step(vars, optimizer, batch, options.weightDecay, gradients), batch.x.shape[0]!, state.lr);
      if (b % options.checkEvery === 0) await loss.read();
      b++;
      state.batches++;
      state.samples += batch.x.shape[0]!;
      clock.stepDone();
      const done = perEpoch === undefined ? state.batches : epoch * perEpoch + b;
      ctx.progress({
        phase: 'train',
        step: done,
        total,
        metrics: { epoch: epoch + 1, batch: b, loss: loss.mean, lr: state.lr, ...clock.eta() },
      });
      await clock.yieldNow();
    }
    await loss.read();
  } finally {
    loss.dispose();
  }
  state.trainMs += performance.now() - epochStart;
  ctx.throwIfAborted();
  return loss.mean;
}

/**
 * After an epoch: the NaN guard, the validation pass and early stopping, the history, progress and
 * the checkpoint.
 */
export async function endEpoch(
  ctx: UnlearnContext,
  setup: LoopSetup,
  run: { optimizer: RecipeOptimizer; state: LoopState; clock: LoopClock },
  epoch: number,
  meanLoss: number,
): Promise<void> {
  const { method, options, perEpoch, total, validation, store } = setup;
  const { state } = run;
  const bad = await nonFiniteVariables(ctx.model);
  if (bad.length > 0) {
    throw new UnlearnError(
      'DIVERGED',
      `${method}: weights became NaN or Infinity in epoch ${epoch + 1} (${bad.join(', ')}); try a smaller learningRate than ${options.learningRate}`,
    );
  }
  const record: EpochRecord = { epoch: epoch + 1, loss: meanLoss, lr: state.lr };
  if (validation) {
    const v = await lossAndAccuracy(ctx.model, validation, Math.max(options.batchSize, 256));
    record.valLoss = v.loss;
    record.valAccuracy = v.accuracy;
    if (options.patience !== undefined) trackBest(ctx, options.monitor === 'loss' ? v.loss : v.accuracy, options, state, epoch);
  }
  state.history.push(record);
  const done = perEpoch === undefined ? state.batches : (epoch + 1) * perEpoch;
  ctx.progress({
    phase: 'train',
    step: done,
    total,
    metrics: {
      epoch: epoch + 1,
      epochsDone: epoch + 1,
      loss: record.loss,
      lr: state.lr,
      ...run.clock.eta(),
      ...(record.valLoss !== undefined ? { valLoss: record.valLoss, valAccuracy: record.valAccuracy! } : {}),
    },
  });
  if (store) {
    const { stopped, history, best, wait } = state;
    await save(store, ctx, run.optimizer, setup.identity!, { completedEpochs: epoch + 1, stopped, history, best, wait });
  }
}

/** Early stopping: keeps a copy of the best epoch's weights; stops after `patience` epochs without a better one. */
function trackBest(ctx: UnlearnContext, value: number, options: LoopSetup['options'], state: LoopState, epoch: number): void {
  const lower = options.monitor === 'loss';
  const { best } = state;
  if (!best || (lower ? value < best.value : value > best.value)) {
    if (best) tf.dispose(best.tensors);
    state.best = { value, epoch: epoch + 1, tensors: ctx.model.variables.map((x) => tf.keep(x.variable.clone())) };
    state.wait = 0;
  } else if (++state.wait >= options.patience!) {
    state.stopped = true;
  }
}

function defaultGradients(ctx: UnlearnContext, threads: StepThreads): BatchGradients {
  return (batch) => splitBatchGradients(ctx.model, batch.x, batch.y!, threads, ctx.signal);
}

async function step(vars: tf.Variable[], optimizer: RecipeOptimizer, batch: Batch, weightDecay: number, gradients: BatchGradients): Promise<tf.Scalar> {
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
