import { defineUnlearner, type Unlearner } from '@unlearn/core';
import type { AmnesiacDetails } from './details.js';
import { AMNESIAC_OPTIONS, type AmnesiacOptions } from './options.js';
import { runAmnesiac } from './run.js';

/**
 * Amnesiac / random-label unlearning (Graves, Nagisetty and Ganesh, AAAI 2021), as the JiT and
 * SSD reference repositories port it: every forget example gets a random wrong label and the model
 * is fine-tuned on the retain set joined with the relabelled forget set, by default 3 epochs of
 * Adam 1e-4, batch 128 (docs/algorithms/amnesiac.md).
 */
export function amnesiac(options: Partial<AmnesiacOptions> = {}): Unlearner<AmnesiacOptions, AmnesiacDetails> {
  const resolved = AMNESIAC_OPTIONS.resolve(options);
  return defineUnlearner({
    name: 'amnesiac',
    options: resolved,
    needs: { labels: true, retain: true },
    schema: AMNESIAC_OPTIONS,
    // A larger step pushes the forget examples further towards their wrong labels.
    strength: {
      option: 'learningRate',
      direction: 'increasing',
      weakest: 1e-5,
      strongest: 1e-2,
      factor: 2,
      at: (learningRate) => amnesiac({ ...resolved, learningRate }),
    },
    unlearn: (ctx) => runAmnesiac(ctx, resolved),
  });
}
