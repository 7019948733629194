import { defineUnlearner, type Unlearner } from '@unlearn/core';
import { withDefaults } from './defaults.js';
import { DEFAULT_FINETUNE_OPTIONS, recipeOf, type FinetuneOptions } from './options.js';
import { trainOnRetain } from './trainer.js';
import { validateTrainOptions } from './validate.js';

/**
 * The finetune baseline: keep training the given model on the retain set (no re-initialisation),
 * by default with the reference's recipe, 5 epochs of SGD 0.02, momentum 0.9, weight decay 5e-4
 * (ALGORITHMS.md §5).
 */
export function finetune(options: Partial<FinetuneOptions> = {}): Unlearner<FinetuneOptions> {
  const resolved = withDefaults(DEFAULT_FINETUNE_OPTIONS, options);
  return defineUnlearner({
    name: 'finetune',
    options: resolved,
    needs: { retain: true, retainLabels: true },
    validate: () => validateTrainOptions('finetune', resolved),
    async unlearn(ctx) {
      const report = await trainOnRetain(ctx, 'finetune', resolved, recipeOf(resolved));
      return { details: report as unknown as Record<string, unknown> };
    },
  });
}
