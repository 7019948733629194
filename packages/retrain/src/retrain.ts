import { defineUnlearner, type Unlearner } from '@unlearn/core';
import { withDefaults } from './defaults.js';
import { DEFAULT_RETRAIN_OPTIONS, recipeOf, type RetrainOptions } from './options.js';
import { reinitialize } from './reinit.js';
import { retainSet, trainOnRetain } from './trainer.js';
import { validateRetrainOptions } from './validate.js';

/**
 * The gold-standard baseline: re-initialise the model (seeded) and train it on the retain set
 * only. `reinit: 'all'` (default) is a true retrain; `'head'` reproduces the reference code, which
 * resets only the classifier head and then trains every layer (ALGORITHMS.md §4, §10).
 */
export function retrain(options: Partial<RetrainOptions> = {}): Unlearner<RetrainOptions> {
  const resolved = withDefaults(DEFAULT_RETRAIN_OPTIONS, options);
  return defineUnlearner({
    name: 'retrain',
    options: resolved,
    needs: { retain: true, retainLabels: true },
    validate: () => validateRetrainOptions('retrain', resolved),
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
