import { registerUnlearner } from '@unlearn/core';
import type { JitDetails } from './details.js';
import { jit } from './jit.js';
import { JIT_OPTIONS, type JitOptions } from './options.js';

export { jit } from './jit.js';
export { AUTO_SIGMA_PER_STD } from './auto-sigma.js';
export { AUTO_CHUNK_VALUES, AUTO_PARALLEL_ROWS, JIT_OPTIONS } from './options.js';
export type { JitNoise, JitOptions } from './options.js';
export type { JitDetails } from './details.js';
export { DEFAULT_PRESET, JIT_PRESETS } from './presets.js';
export type { JitPreset, JitPresetName } from './presets.js';

declare module '@unlearn/core' {
  interface UnlearnerRegistry {
    jit: JitOptions;
  }
  interface UnlearnerDetailsRegistry {
    jit: JitDetails;
  }
}

registerUnlearner('jit', jit, {
  description: 'JiT: zero-shot Lipschitz smoothing at the forget inputs (Foster et al., arXiv 2402.01401); needs the forget inputs only',
  schema: JIT_OPTIONS,
  source: '@unlearn/jit',
});
