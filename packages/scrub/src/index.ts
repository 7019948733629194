import { registerUnlearner } from '@unlearn/core';
import type { ScrubDetails } from './details.js';
import { SCRUB_OPTIONS, type ScrubOptions } from './options.js';
import { scrub } from './scrub.js';

export { scrub } from './scrub.js';
export { DEFAULT_SCRUB_OPTIONS, learningRateOfEpoch, SCRUB_OPTIONS, SCRUB_PRESETS } from './options.js';
export type { ScrubOptions } from './options.js';
export type { ScrubEpoch, ScrubRun } from './run.js';
export type { ScrubDetails } from './details.js';

declare module '@unlearn/core' {
  interface UnlearnerRegistry {
    scrub: ScrubOptions;
  }
  interface UnlearnerDetailsRegistry {
    scrub: ScrubDetails;
  }
}

registerUnlearner('scrub', scrub, {
  description: 'SCRUB: alternate max-steps away from the original model on the forget set and min-steps towards it (and the labels) on the retain set',
  schema: SCRUB_OPTIONS,
  source: '@unlearn/scrub',
});
