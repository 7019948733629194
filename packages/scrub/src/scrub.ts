import { defineUnlearner, type Unlearner } from '@unlearn/core';
import type { ScrubDetails } from './details.js';
import { SCRUB_OPTIONS, type ScrubOptions } from './options.js';
import { runScrub } from './run.js';

/**
 * SCRUB (Kurmanji, Triantafillou, Hayes and Triantafillou, NeurIPS 2023; docs/algorithms/scrub.md):
 * a student that starts as the model is pushed away from the frozen original (the teacher) on the
 * forget set and kept close to it, and to the labels, on the retain set. Needs the retain set with
 * labels; `rewind` (SCRUB+R) also needs labelled forget and validation sets. Defaults are the JiT
 * reference repository's full-class port (`reference` preset).
 */
export function scrub(options: Partial<ScrubOptions> = {}): Unlearner<ScrubOptions, ScrubDetails> {
  const resolved = SCRUB_OPTIONS.resolve(options);
  return defineUnlearner({
    name: 'scrub',
    options: resolved,
    needs: { retain: true, retainLabels: true },
    schema: SCRUB_OPTIONS,
    // More max-step epochs push further from the teacher on Df. The min-only epochs that follow
    // stay as many as before, so `epochs` moves with maxSteps (docs/algorithms/scrub.md, Options and presets).
    strength: {
      option: 'maxSteps',
      direction: 'increasing',
      weakest: 1,
      strongest: 16,
      factor: 2,
      integer: true,
      at: (maxSteps) => scrub({ ...resolved, maxSteps, epochs: maxSteps + (resolved.epochs - resolved.maxSteps) }),
    },
    async unlearn(ctx) {
      const run = await runScrub(ctx, resolved);
      return { details: run };
    },
  });
}
