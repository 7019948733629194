import * as tf from '@tensorflow/tfjs-core';
import type { KernelConfig, KernelFunc } from '@tensorflow/tfjs-core';
import { AvgPoolGrad, Conv2DBackpropInput, Identity, MaxPoolGrad, Mean, Sum, Tile } from '@tensorflow/tfjs-core';
import { fastConv2DBackpropInput } from './conv2d-backprop-input.js';
import { conv2DBackpropFilterConfig } from './conv2d-backprop-filter.js';
import { depthwiseBackpropFilterConfig, depthwiseBackpropInputConfig } from './depthwise-backprop.js';
import { fastLeadingAxisReduce } from './leading-axis-reduce.js';
import { isOurs, replaceKernel, restoreKernel, supplyKernel, unsupplyKernel, WASM } from './kernel-utils.js';
import { MATMUL_KERNELS, setWasmMatMulFastPath } from './matmul-fast-path.js';
import { fastAvgPoolGrad, fastMaxPoolGrad } from './pool-grad.js';
import { sharedIdentity } from './shared-identity.js';
import { fastTile } from './tile.js';
import { unsortedSegmentSumConfig } from './unsorted-segment-sum.js';

export { missingWasmGradientKernels } from './gradient-needs.js';
export { setWasmMatMulFastPath } from './matmul-fast-path.js';

/** Kernels tfjs-backend-wasm 4.22 lacks and training needs. */
const SUPPLIED = [
  conv2DBackpropFilterConfig,
  depthwiseBackpropInputConfig,
  depthwiseBackpropFilterConfig,
  unsortedSegmentSumConfig,
];

/** Kernels wasm has but runs slowly (scalar loops, needless transposes, copies), replaced by faster ones. */
const FASTER: Record<string, (original: KernelConfig) => KernelFunc> = {
  [Conv2DBackpropInput]: fastConv2DBackpropInput,
  [MaxPoolGrad]: fastMaxPoolGrad,
  [AvgPoolGrad]: fastAvgPoolGrad,
  [Sum]: (original) => fastLeadingAxisReduce(original, false),
  [Mean]: (original) => fastLeadingAxisReduce(original, true),
  [Identity]: sharedIdentity,
  [Tile]: fastTile,
};

const REPLACED = [...Object.keys(FASTER), ...MATMUL_KERNELS];

export interface WasmTrainingOptions {
  /** Route transposed/batched matmuls to XNNPACK (default true). */
  matMulFastPath?: boolean;
  /** Replace wasm's slow Conv2DBackpropInput, MaxPoolGrad, AvgPoolGrad, Sum, Mean, Tile and copying Identity (default true). */
  fasterGradients?: boolean;
}

/**
 * Registers the kernels the wasm backend needs to train CNNs, and faster versions of some it
 * has. Call after `@tensorflow/tfjs-backend-wasm` has been imported (its import registers the
 * wasm kernels; the backend need not be active). Idempotent: the registry is global, so a
 * second call, even from another copy of this module, changes nothing. Returns the kernels
 * this module now provides for wasm, sorted, whether registered by this call or an earlier one.
 * Options set to false undo an earlier replacement.
 */
export function registerWasmTrainingKernels(options: WasmTrainingOptions = {}): string[] {
  if (tf.getKernelsForBackend(WASM).length === 0) {
    throw new Error('no wasm kernels are registered: import @tensorflow/tfjs-backend-wasm first');
  }
  for (const config of SUPPLIED) supplyKernel(config);
  for (const [name, make] of Object.entries(FASTER)) {
    if (options.fasterGradients ?? true) replaceKernel(name, make);
    else restoreKernel(name);
  }
  setWasmMatMulFastPath(options.matMulFastPath ?? true);
  return [...SUPPLIED.map((c) => c.kernelName), ...REPLACED].filter(isOurs).sort();
}

/**
 * On the wasm backend, registers the training kernels if nobody has yet: a user who chose wasm
 * the usual tfjs way (`tf.setBackend('wasm')`, not `selectBackend`) would otherwise meet
 * "Kernel 'Conv2DBackpropFilter' not registered" deep inside a gradient. Returns the kernels it
 * registered now (empty when there was nothing to do).
 */
export function ensureWasmTrainingKernels(): string[] {
  if (tf.getBackend() !== WASM || isOurs(conv2DBackpropFilterConfig.kernelName)) return [];
  return registerWasmTrainingKernels();
}

/** Undoes registerWasmTrainingKernels: removes supplied kernels, restores replaced ones. */
export function unregisterWasmTrainingKernels(): string[] {
  const supplied = SUPPLIED.map((c) => c.kernelName).filter(unsupplyKernel);
  return [...supplied, ...REPLACED.filter(restoreKernel)].sort();
}
