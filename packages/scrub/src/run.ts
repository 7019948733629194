import * as tf from '@tensorflow/tfjs-core';
import { batchCount, datasetSize, type ProgressEvent, type UnlearnContext } from '@unlearn/core';
import { createOptimizer, loopOptions, retainSet, trainLoop } from '@unlearn/retrain';
import { maxStepGradients, minStepGradients } from './objective.js';
import { learningRateOfEpoch, type ScrubOptions } from './options.js';
import { closestEpoch, errorRate, rewindData } from './rewind.js';

export interface ScrubEpoch {
  epoch: number;
  lr: number;
  /** Mean −KL over the forget set's batches (null without a max-step this epoch). */
  maxLoss: number | null;
  /** Mean α·KL + γ·CE over the retain set's batches. */
  minLoss: number;
  /** SCRUB+R only: forget-set error after this epoch. */
  forgetError?: number;
}

export interface ScrubRun {
  epochs: ScrubEpoch[];
  batches: number;
  /** SCRUB+R only: the final model's validation error, the epoch chosen and its forget error. */
  rewind: { validationError: number; chosenEpoch: number; forgetError: number } | null;
}

/**
 * SCRUB (docs/algorithms/scrub.md, The math in short): the student (ctx.model) starts as the
 * original model and the teacher is a frozen copy of it. Each epoch (counted from 1) runs, while
 * epoch ≤ maxSteps, one pass of max-steps over Df (minimise −KL(teacher ‖ student)), then one pass
 * of min-steps over Dr (minimise α·KL + γ·CE), with one optimizer (and momentum) shared by both.
 */
export async function runScrub(ctx: UnlearnContext, options: ScrubOptions): Promise<ScrubRun> {
  const retain = retainSet('scrub', ctx);
  const forget = ctx.request.forget;
  const validation = options.rewind ? rewindData(ctx) : undefined;
  const teacher = await ctx.model.clone();
  const optimizer = createOptimizer(options);
  const checkpoints: tf.Tensor[][] = [];
  try {
    const maxGrads = maxStepGradients(ctx.model, teacher, options.temperature, options.clipGradNorm);
    const minGrads = minStepGradients(ctx.model, teacher, options.temperature, options.alpha, options.gamma, options.clipGradNorm);
    const nf = datasetSize(forget);
    const nr = datasetSize(retain);
    const total = nf === undefined || nr === undefined ? undefined : options.maxSteps * batchCount(nf, options.forgetBatchSize) + options.epochs * batchCount(nr, options.batchSize);
    const base = loopOptions(options, { epochs: 1 });
    const { preset: _preset, checkEvery: _checkEvery, ...recipe } = options;
    let done = 0;
    // Each phase is a one-epoch trainLoop: its own shuffle generator per (epoch, phase), and its
    // progress continued from the phases before it.
    const phase = async (epoch: number, name: 'max' | 'min', lr: number) => {
      const phaseCtx: UnlearnContext = {
        ...ctx,
        rng: ctx.rng.fork(`epoch-${epoch}/${name}`),
        progress: (e: ProgressEvent) =>
          ctx.progress({ ...e, phase: `scrub-${name}`, step: done + e.step, total, metrics: { ...e.metrics, epoch, ...(e.metrics?.epochsDone ? { epochsDone: epoch } : {}) } }),
      };
      const train = { ...base, learningRate: lr, batchSize: name === 'max' ? options.forgetBatchSize : options.batchSize };
      const report = await trainLoop(phaseCtx, 'scrub', train, { ...recipe, epoch, phase: name }, {
        data: name === 'max' ? forget : retain,
        gradients: name === 'max' ? maxGrads : minGrads,
        optimizer,
      });
      done += report.batches;
      return report;
    };

    const epochs: ScrubEpoch[] = [];
    for (let epoch = 1; epoch <= options.epochs; epoch++) {
      const lr = learningRateOfEpoch(options, epoch);
      const max = epoch <= options.maxSteps ? await phase(epoch, 'max', lr) : undefined;
      const min = await phase(epoch, 'min', lr);
      const record: ScrubEpoch = { epoch, lr, maxLoss: max ? max.history[0]!.loss : null, minLoss: min.history[0]!.loss };
      if (validation) {
        checkpoints.push(ctx.model.variables.map((v) => tf.keep(v.variable.clone())));
        record.forgetError = await errorRate(ctx.model, forget, Math.max(options.batchSize, 256), ctx.signal);
      }
      epochs.push(record);
    }

    let rewind: ScrubRun['rewind'] = null;
    if (validation) {
      const validationError = await errorRate(ctx.model, validation, Math.max(options.batchSize, 256), ctx.signal);
      const chosen = closestEpoch(epochs.map((e) => e.forgetError!), validationError);
      ctx.model.variables.forEach((v, i) => v.variable.assign(checkpoints[chosen]![i]!));
      rewind = { validationError, chosenEpoch: chosen + 1, forgetError: epochs[chosen]!.forgetError! };
      ctx.logger.info(`scrub: rewind: validation error ${validationError.toFixed(4)}; kept epoch ${chosen + 1} (forget error ${rewind.forgetError.toFixed(4)})`);
    }
    return { epochs, batches: done, rewind };
  } finally {
    teacher.dispose();
    optimizer.dispose();
    for (const c of checkpoints) tf.dispose(c);
  }
}
