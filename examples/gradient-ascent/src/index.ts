import { registerUnlearner } from '@unlearn/core';
import type { GradientAscentDetails } from './details.js';
import { gradientAscent } from './gradient-ascent.js';
import { GRADIENT_ASCENT_OPTIONS, type GradientAscentOptions } from './options.js';

export { gradientAscent } from './gradient-ascent.js';
export { GRADIENT_ASCENT_DEFAULTS, GRADIENT_ASCENT_OPTIONS } from './options.js';
export type { GradientAscentOptions } from './options.js';
export type { GradientAscentDetails } from './details.js';

// Widens core's registry types, so createUnlearner('gradient-ascent', { lr }) is checked and
// its runs' details are GradientAscentDetails.
declare module '@unlearn/core' {
  interface UnlearnerRegistry {
    'gradient-ascent': GradientAscentOptions;
  }
  interface UnlearnerDetailsRegistry {
    'gradient-ascent': GradientAscentDetails;
  }
}

registerUnlearner('gradient-ascent', gradientAscent, {
  description: 'Gradient ascent on the forget set cross-entropy (example plugin); needs forget labels',
  schema: GRADIENT_ASCENT_OPTIONS,
  source: 'unlearn-plugin-gradient-ascent',
});
