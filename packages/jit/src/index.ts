import { registerUnlearner } from '@unlearn/core';
import { jit } from './jit.js';
import type { JitOptions } from './options.js';
import { DEFAULT_PRESET, JIT_PRESETS } from './presets.js';

export { jit } from './jit.js';
export { AUTO_CHUNK_VALUES, AUTO_PARALLEL_ROWS, resolveOptions as resolveJitOptions } from './options.js';
export type { JitNoise, JitOptions } from './options.js';
export { DEFAULT_PRESET, JIT_PRESETS } from './presets.js';
export type { JitPreset, JitPresetName } from './presets.js';

declare module '@unlearn/core' {
  interface UnlearnerRegistry {
    jit: JitOptions;
  }
}

const { source: _source, ...defaults } = JIT_PRESETS[DEFAULT_PRESET];
registerUnlearner('jit', jit, {
  description: 'JiT: zero-shot Lipschitz smoothing at the forget inputs (Foster et al., arXiv 2402.01401); needs the forget inputs only',
  defaults: { ...defaults, epochs: 1, accumulateGradients: false, training: false, chunkSize: 'auto', preset: DEFAULT_PRESET },
  source: '@unlearn/jit',
});
