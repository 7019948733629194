import { defineUnlearner, type Unlearner } from '@unlearn/core';
import type { FinetuneDetails } from './details.js';
import { FINETUNE_OPTIONS } from './options-schema.js';
import { recipeOf, type FinetuneOptions } from './options.js';
import { trainOnRetain } from './trainer.js';

/**
 * The finetune baseline: keep training the given model on the retain set (no re-initialisation),
 * by default with the reference's recipe, 5 epochs of SGD 0.02, momentum 0.9, weight decay 5e-4
 * (docs/algorithms/retrain.md, The reference recipes).
 */
export function finetune(options: Partial<FinetuneOptions> = {}): Unlearner<FinetuneOptions, FinetuneDetails> {
  const resolved = FINETUNE_OPTIONS.resolve(options);
  return defineUnlearner({
    name: 'finetune',
    options: resolved,
    needs: { retain: true, retainLabels: true },
    schema: FINETUNE_OPTIONS,
    // More epochs on the retain set forget more (catastrophic forgetting of what is not shown).
    // retrain declares no strength: it always forgets, and more epochs only restore utility.
    strength: { option: 'epochs', direction: 'increasing', weakest: 1, strongest: 32, factor: 2, integer: true, at: (epochs) => finetune({ ...resolved, epochs }) },
    async unlearn(ctx) {
      const report = await trainOnRetain(ctx, 'finetune', resolved, recipeOf(resolved));
      return { details: report };
    },
  });
}
