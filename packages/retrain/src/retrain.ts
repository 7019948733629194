import { defineUnlearner, type Unlearner } from '@unlearn/core';
import type { RetrainDetails } from './details.js';
import { RETRAIN_OPTIONS } from './options-schema.js';
import { recipeOf, type RetrainOptions } from './options.js';
import { reinitialize } from './reinit.js';
import { retainSet, trainOnRetain } from './trainer.js';

/**
 * The gold-standard baseline: re-initialise the model (seeded) and train it on the retain set
 * only. `reinit: 'all'` (default) is a true retrain; `'head'` reproduces the reference code, which
 * resets only the classifier head and then trains every layer (docs/algorithms/retrain.md,
 * Re-initialisation).
 */
export function retrain(options: Partial<RetrainOptions> = {}): Unlearner<RetrainOptions, RetrainDetails> {
  const resolved = RETRAIN_OPTIONS.resolve(options);
  return defineUnlearner({
    name: 'retrain',
    options: resolved,
    needs: { retain: true, retainLabels: true },
    schema: RETRAIN_OPTIONS,
    async unlearn(ctx) {
      retainSet('retrain', ctx);
      const seed = ctx.rng.fork('reinit').uint32();
      const reinitialised = await reinitialize(ctx.model, {
        reinit: resolved.reinit,
        seed,
        init: resolved.init,
        warn: (message) => ctx.logger.warn(message),
      });
      ctx.throwIfAborted();
      const report = await trainOnRetain(ctx, 'retrain', resolved, recipeOf(resolved));
      return { details: { reinit: resolved.reinit, reinitialised, ...report } };
    },
  });
}
