import * as tf from '@tensorflow/tfjs-core';
import { batchCount, crossEntropyGradients, datasetSize, type Dataset, type UnlearnContext, type UnlearnOutcome } from '@unlearn/core';
import {
  classCount,
  createOptimizer,
  inMemory,
  labelledUnion,
  loopOptions,
  randomWrongLabels,
  recipeOf,
  retainSet,
  trainLoop,
  type BatchGradients,
} from '@unlearn/retrain';
import type { SalunDetails, SalunEpochSummary } from './details.js';
import type { SalunOptions } from './options.js';
import { saliencyMask } from './saliency.js';

/** Random wrong labels for the forget set in epoch `epoch` (the test injects the fixture's). */
export type LabelDraw = (epoch: number, forget: { x: tf.Tensor; y: tf.Tensor }, classes: number) => Promise<tf.Tensor1D>;

/** m ⊙ (∇ mean CE + weightDecay·θ), in training mode (docs/algorithms/salun.md, The math in short). */
function maskedGradients(ctx: UnlearnContext, masks: tf.Tensor[], weightDecay: number): BatchGradients {
  const vars = ctx.model.trainable.map((v) => v.variable);
  return (batch) =>
    tf.tidy(() => {
      const { loss, grads } = crossEntropyGradients(ctx.model, batch.x, batch.y!, true);
      const masked = grads.map((g, i) => tf.mul(weightDecay > 0 ? tf.add(g, tf.mul(vars[i]!, weightDecay)) : g, masks[i]!));
      return { loss, grads: masked };
    });
}

/**
 * SalUn's whole run: the saliency mask from the forget set's true labels, then `epochs` epochs of
 * random-label training with masked gradients. Each epoch draws fresh wrong labels from
 * `ctx.rng.fork('random-labels/epoch-<e>')` (as the reference re-draws them every epoch); `draw`
 * replaces that draw for the reference-parity test.
 */
export async function runSalun(ctx: UnlearnContext, options: SalunOptions, draw?: LabelDraw): Promise<UnlearnOutcome<SalunDetails>> {
  const forget = inMemory('salun', 'forget', ctx.request.forget);
  const retainData = retainSet('salun', ctx);
  const retain: Dataset = options.order === 'concat' ? inMemory('salun', 'retain', retainData) : retainData;
  const classes = classCount(ctx.model, forget);
  const labels: LabelDraw =
    draw ?? ((epoch, f, c) => randomWrongLabels(f.y, c, ctx.rng.fork(`random-labels/epoch-${epoch}`)));

  const forgetSize = forget.x.shape[0]!;
  const retainSize = datasetSize(retain);
  const maskBatches = batchCount(forgetSize, options.batchSize);
  const perEpoch =
    retainSize === undefined
      ? undefined
      : options.order === 'concat'
        ? batchCount(forgetSize + retainSize, options.batchSize)
        : maskBatches + batchCount(retainSize, options.batchSize);
  const total = perEpoch === undefined ? undefined : maskBatches + options.epochs * perEpoch;

  ctx.throwIfAborted();
  const mask = await saliencyMask(ctx.model, forget, {
    fraction: options.fraction,
    batchSize: options.batchSize,
    signal: ctx.signal,
    // The mask's batches are this run's first steps, of the run's total.
    onProgress: (event) => ctx.progress({ ...event, total }),
  });
  ctx.logger.info(`salun: the saliency mask frees ${mask.selected} of ${mask.total} weights (|gradient| >= ${mask.threshold})`);

  // One pass of the trainer per call: SalUn runs its epochs itself, relabelling every epoch. Weight
  // decay is added inside the masked gradient instead, so that it cannot move a weight the mask holds.
  const train = loopOptions(options, { epochs: 1, weightDecay: 0 });
  const optimizer = createOptimizer(train);
  const gradients = maskedGradients(ctx, mask.masks, options.weightDecay);
  const recipe = { ...recipeOf(train), epochs: options.epochs, weightDecay: options.weightDecay, fraction: options.fraction, order: options.order };
  const history: SalunEpochSummary[] = [];
  let offset = maskBatches;
  let batches = 0;
  try {
    for (let epoch = 0; epoch < options.epochs; epoch++) {
      const pass = async (name: string, data: Dataset) => {
        const base = offset;
        const report = await trainLoop(
          {
            ...ctx,
            rng: ctx.rng.fork(`epoch-${epoch}/${name}`),
            progress: (e) => ctx.progress({ ...e, step: base + e.step, total, metrics: { ...e.metrics, epoch: epoch + 1 } }),
          },
          'salun',
          train,
          recipe,
          { data, gradients, optimizer },
        );
        offset += report.batches;
        batches += report.batches;
        return report.history[0]!;
      };
      const wrong = await labels(epoch, { x: forget.x, y: forget.y! }, classes);
      let record: SalunEpochSummary;
      try {
        if (options.order === 'alternate') {
          const f = await pass('forget', { x: forget.x, y: wrong });
          const r = await pass('retain', retain);
          record = { epoch: epoch + 1, forgetLoss: f.loss, retainLoss: r.loss, lr: r.lr };
        } else {
          const both = labelledUnion({ x: forget.x, y: wrong }, retain as { x: tf.Tensor; y: tf.Tensor });
          try {
            const a = await pass('all', both);
            record = { epoch: epoch + 1, loss: a.loss, lr: a.lr };
          } finally {
            tf.dispose([both.x, both.y]);
          }
        }
      } finally {
        if (!draw) wrong.dispose();
      }
      history.push(record);
    }
  } finally {
    optimizer.dispose();
    tf.dispose(mask.masks);
  }
  return {
    details: {
      mask: { selected: mask.selected, total: mask.total, fraction: options.fraction, threshold: mask.threshold },
      order: options.order,
      epochsRun: history.length,
      batches,
      history,
      relabelled: forgetSize,
      classes,
    },
  };
}
