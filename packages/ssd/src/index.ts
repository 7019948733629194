import { registerUnlearner } from '@unlearn/core';
import type { SsdDetails } from './details.js';
import { SSD_OPTIONS, type SsdOptions } from './options.js';
import { ssd } from './ssd.js';

export { ssd } from './ssd.js';
export { dampeningUnlearner } from './method.js';
export type { DampeningMethodSpec } from './method.js';
export { dampeningOptions, LF_SSD_OPTIONS, SSD_DEFAULTS, SSD_OPTIONS } from './options.js';
export { LF_SSD_PRESETS, SSD_PRESETS } from './presets.js';
export type { DampeningPreset, LfSsdPresetName, SsdPresetName } from './presets.js';
export type { LfSsdOptions, SsdOptions } from './options.js';
export type { DampeningThreads, LfSsdDetails, SsdDetails } from './details.js';
export type { AutoAlpha } from './auto-alpha.js';
export { fisherImportance, importanceLoss, lossFreeImportance } from './importance.js';
export type { ImportanceKind, ImportancePassOptions } from './importance.js';
export { selectAndDampen } from './dampen.js';
export type { DampenOptions, SelectionReport, VariableSelection } from './dampen.js';
export type { LayerFilter } from './layer-filter.js';
export { checkImportanceSet, computeImportances, disposeImportances, isImportanceSet } from './importance-set.js';
export type { ComputeImportancesOptions, ImportanceSet } from './importance-set.js';
export { accuracyOn } from './guard.js';
export type { GuardOptions, GuardReport } from './guard.js';
export { AUTO_MIN_SAMPLES } from './workers.js';

declare module '@unlearn/core' {
  interface UnlearnerRegistry {
    ssd: SsdOptions;
  }
  interface UnlearnerDetailsRegistry {
    ssd: SsdDetails;
  }
}

registerUnlearner('ssd', ssd, {
  description: 'Selective Synaptic Dampening: dampen parameters far more important (diagonal Fisher) to the forget set than to the training set',
  schema: SSD_OPTIONS,
  source: '@unlearn/ssd',
});
