import { registerUnlearner } from '@unlearn/core';
import { amnesiac } from './amnesiac.js';
import type { AmnesiacDetails } from './details.js';
import type { AmnesiacOptions } from './options.js';
import { AMNESIAC_OPTIONS } from './options.js';

export { amnesiac } from './amnesiac.js';
export { AMNESIAC_OPTIONS, AMNESIAC_PRESETS, DEFAULT_AMNESIAC_OPTIONS, REFERENCE_AMNESIAC_PRESET } from './options.js';
export type { AmnesiacOptions } from './options.js';
export type { AmnesiacDetails } from './details.js';

declare module '@unlearn/core' {
  interface UnlearnerRegistry {
    amnesiac: AmnesiacOptions;
  }
  interface UnlearnerDetailsRegistry {
    amnesiac: AmnesiacDetails;
  }
}

registerUnlearner('amnesiac', amnesiac, {
  description: 'Random-label fine-tuning: forget examples get random wrong labels, then train on them with the retain set',
  schema: AMNESIAC_OPTIONS,
  source: '@unlearn/amnesiac',
});
