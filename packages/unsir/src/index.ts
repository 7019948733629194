import { registerUnlearner } from '@unlearn/core';
import type { UnsirDetails } from './details.js';
import { UNSIR_OPTIONS, type UnsirOptions } from './options.js';
import { unsir } from './unsir.js';

export { unsir } from './unsir.js';
export { DEFAULT_UNSIR_OPTIONS, UNSIR_OPTIONS, UNSIR_PRESETS } from './options.js';
export type { UnsirOptions } from './options.js';
export type { UnsirDetails } from './details.js';

declare module '@unlearn/core' {
  interface UnlearnerRegistry {
    unsir: UnsirOptions;
  }
  interface UnlearnerDetailsRegistry {
    unsir: UnsirDetails;
  }
}

registerUnlearner('unsir', unsir, {
  description: 'UNSIR: learned error-maximising noise per forgotten class, one impair and one repair epoch (class forgetting only)',
  schema: UNSIR_OPTIONS,
  source: '@unlearn/unsir',
});
