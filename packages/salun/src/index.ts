import { registerUnlearner } from '@unlearn/core';
import type { SalunDetails } from './details.js';
import type { SalunOptions } from './options.js';
import { SALUN_OPTIONS } from './options.js';
import { salun } from './salun.js';

export { salun } from './salun.js';
export { saliencyMask } from './saliency.js';
export type { SaliencyMask, SaliencyOptions } from './saliency.js';
export { DEFAULT_SALUN_OPTIONS, REFERENCE_SALUN_PRESET, SALUN_OPTIONS, SALUN_PRESETS } from './options.js';
export type { SalunOptions, SalunOrder } from './options.js';
export type { SalunDetails, SalunEpochSummary } from './details.js';

declare module '@unlearn/core' {
  interface UnlearnerRegistry {
    salun: SalunOptions;
  }
  interface UnlearnerDetailsRegistry {
    salun: SalunDetails;
  }
}

registerUnlearner('salun', salun, {
  description: 'Saliency unlearning: random-label training that moves only the weights most salient to the forget loss',
  schema: SALUN_OPTIONS,
  source: '@unlearn/salun',
});
