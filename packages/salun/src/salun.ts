import { defineUnlearner, type Unlearner } from '@unlearn/core';
import type { SalunDetails } from './details.js';
import { SALUN_OPTIONS, type SalunOptions } from './options.js';
import { runSalun } from './run.js';

/**
 * SalUn (Fan et al., ICLR 2024): a saliency mask keeps the top `fraction` of weights by the
 * magnitude of the forget loss's gradient, and random-label training ("RL") then moves only those
 * weights. Defaults: the SalUn repository's CIFAR-10 ResNet-18 setting, mask 0.5, 10 epochs of
 * SGD 0.013 (docs/algorithms/salun.md).
 */
export function salun(options: Partial<SalunOptions> = {}): Unlearner<SalunOptions, SalunDetails> {
  const resolved = SALUN_OPTIONS.resolve(options);
  return defineUnlearner({
    name: 'salun',
    options: resolved,
    needs: { labels: true, retain: true },
    schema: SALUN_OPTIONS,
    // A larger step pushes the salient weights further towards the random labels. The mask
    // fraction is not monotone in effect (a larger mask also lets the retain loss pull back).
    strength: {
      option: 'learningRate',
      direction: 'increasing',
      weakest: 1e-4,
      strongest: 0.1,
      factor: 2,
      at: (learningRate) => salun({ ...resolved, learningRate }),
    },
    unlearn: (ctx) => runSalun(ctx, resolved),
  });
}
