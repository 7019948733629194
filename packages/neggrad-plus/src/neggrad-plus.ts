import * as tf from '@tensorflow/tfjs-core';
import { defineUnlearner, isUnlearnError, UnlearnError, type Unlearner, type UnlearnContext } from '@unlearn/core';
import { loopOptions, recipeOf, retainSet, trainLoop, type TrainReport } from '@unlearn/retrain';
import { cycleBatches } from './cycle.js';
import type { NegGradPlusDetails } from './details.js';
import { negGradObjective, negGradPlusObjective } from './objective.js';
import { NEGGRAD_PLUS_OPTIONS, type NegGradPlusOptions } from './options.js';

const METHOD = 'neggrad-plus';

/**
 * NegGrad+ (Kurmanji et al., NeurIPS 2023, the SCRUB paper; docs/algorithms/neggrad-plus.md):
 * fine-tunes on β·CE(retain) − (1 − β)·CE(forget), one retain batch and one forget batch per
 * step, β = 1 − `forgetWeight`. `forgetWeight: 1` is plain NegGrad, which needs no retain set.
 * Needs labels on the forget set (and on the retain set).
 */
export function negGradPlus(options: Partial<NegGradPlusOptions> = {}): Unlearner<NegGradPlusOptions, NegGradPlusDetails> {
  const resolved = NEGGRAD_PLUS_OPTIONS.resolve(options);
  const plain = resolved.forgetWeight === 1;
  return defineUnlearner({
    name: METHOD,
    options: resolved,
    needs: plain ? { labels: true } : { labels: true, retain: true },
    schema: NEGGRAD_PLUS_OPTIONS,
    // A heavier ascent term forgets more. Plain NegGrad has no β left to raise: more passes of
    // ascent forget more there (and diverge at the far end).
    strength: plain
      ? { option: 'epochs', direction: 'increasing', weakest: 1, strongest: 16, factor: 2, integer: true, at: (epochs) => negGradPlus({ ...resolved, epochs }) }
      : { option: 'forgetWeight', direction: 'increasing', weakest: 0.05, strongest: 0.8, factor: 2, at: (forgetWeight) => negGradPlus({ ...resolved, forgetWeight }) },
    async unlearn(ctx) {
      const report = await run(ctx, resolved, plain);
      return { details: { ...report, forgetWeight: resolved.forgetWeight, beta: 1 - resolved.forgetWeight, plain } };
    },
  });
}

async function run(ctx: UnlearnContext, o: NegGradPlusOptions, plain: boolean): Promise<TrainReport> {
  const train = loopOptions(o);
  const recipe = { ...recipeOf(train), forgetWeight: o.forgetWeight, forgetBatchSize: o.forgetBatchSize, anchorDecay: o.anchorDecay };
  try {
    if (plain) {
      return await trainLoop(ctx, METHOD, train, recipe, { data: ctx.request.forget, gradients: negGradObjective(ctx.model) });
    }
    const retain = retainSet(METHOD, ctx);
    const forget = cycleBatches(ctx.request.forget, o.forgetBatchSize, o.shuffle ? ctx.rng.fork('forget') : undefined, ctx.signal);
    const start = o.anchorDecay > 0 ? ctx.model.trainable.map((v) => tf.keep(v.variable.clone())) : undefined;
    try {
      const gradients = negGradPlusObjective(ctx.model, forget, o.forgetWeight, start && { decay: o.anchorDecay, start });
      return await trainLoop(ctx, METHOD, train, recipe, { data: retain, gradients });
    } finally {
      await forget.close();
      if (start) tf.dispose(start);
    }
  } catch (error) {
    if (!isUnlearnError(error, 'DIVERGED')) throw error;
    // The ascent term has no lower bound: say which knob drove it there.
    throw new UnlearnError(
      'DIVERGED',
      `${error.message}. The gradient-ascent term −${o.forgetWeight}·CE(forget) is unbounded below, so too large a forgetWeight or learningRate ` +
        `drives the weights to infinity: lower forgetWeight (${o.forgetWeight}) or learningRate (${o.learningRate}), or use fewer epochs`,
      { cause: error },
    );
  }
}
