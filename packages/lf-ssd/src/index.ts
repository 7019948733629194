import { registerUnlearner } from '@unlearn/core';
import { LF_SSD_OPTIONS, type LfSsdDetails, type LfSsdOptions } from '@unlearn/ssd';
import { lfSsd } from './lf-ssd.js';

export { lfSsd } from './lf-ssd.js';
// The pieces LF-SSD is made of live in @unlearn/ssd; re-exported so one import suffices.
export { computeImportances, disposeImportances, LF_SSD_PRESETS, lossFreeImportance, selectAndDampen } from '@unlearn/ssd';
export type { GuardOptions, ImportanceSet, LayerFilter, LfSsdDetails, LfSsdOptions, SelectionReport } from '@unlearn/ssd';

declare module '@unlearn/core' {
  interface UnlearnerRegistry {
    'lf-ssd': LfSsdOptions;
  }
  interface UnlearnerDetailsRegistry {
    'lf-ssd': LfSsdDetails;
  }
}

// Defaults "per the SSD setting" (docs/algorithms/lf-ssd.md, Options and presets): the LF-SSD code
// has no setting of its own.
registerUnlearner('lf-ssd', lfSsd, {
  description: 'Loss-free SSD: SSD dampening with a label-free importance (|gradient| of the squared logit norm)',
  schema: LF_SSD_OPTIONS,
  source: '@unlearn/lf-ssd',
});
