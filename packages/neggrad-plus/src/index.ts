import { registerUnlearner } from '@unlearn/core';
import type { NegGradPlusDetails } from './details.js';
import { negGradPlus } from './neggrad-plus.js';
import { NEGGRAD_PLUS_OPTIONS, type NegGradPlusOptions } from './options.js';

export { negGradPlus } from './neggrad-plus.js';
export { DEFAULT_NEGGRAD_PLUS_OPTIONS, NEGGRAD_PLUS_OPTIONS, NEGGRAD_PLUS_PRESETS } from './options.js';
export type { NegGradPlusOptions } from './options.js';
export type { NegGradPlusDetails } from './details.js';

declare module '@unlearn/core' {
  interface UnlearnerRegistry {
    'neggrad-plus': NegGradPlusOptions;
  }
  interface UnlearnerDetailsRegistry {
    'neggrad-plus': NegGradPlusDetails;
  }
}

registerUnlearner('neggrad-plus', negGradPlus, {
  description: 'NegGrad+: fine-tune on β·CE(retain) − (1 − β)·CE(forget); forgetWeight 1 is plain NegGrad',
  schema: NEGGRAD_PLUS_OPTIONS,
  source: '@unlearn/neggrad-plus',
});
