import { UnsortedSegmentSum, util } from '@tensorflow/tfjs-core';
import type { KernelConfig, KernelFunc, TensorInfo, UnsortedSegmentSumAttrs } from '@tensorflow/tfjs-core';
import { WASM } from './kernel-utils.js';
import type { WasmBackend } from './kernel-utils.js';

/**
 * Needed by the gradient of GatherV2 (embeddings, tf.gather). One pass over x; the cpu kernel
 * instead builds a mask per segment. Ids outside [0, numSegments) are dropped, as in TF.
 */
function unsortedSegmentSum(args: {
  inputs: { x?: TensorInfo; segmentIds?: TensorInfo };
  backend: WasmBackend;
  attrs: UnsortedSegmentSumAttrs;
}): TensorInfo {
  const { inputs, backend, attrs } = args;
  const { x, segmentIds } = inputs;
  if (!x || !segmentIds) throw new Error('UnsortedSegmentSum needs x and segmentIds');
  if (x.dtype !== 'float32' && x.dtype !== 'int32') {
    throw new Error(`wasm UnsortedSegmentSum supports float32 and int32, not ${x.dtype}`);
  }
  const { numSegments } = attrs;
  const innerShape = x.shape.slice(segmentIds.shape.length);
  const inner = util.sizeFromShape(innerShape);
  const rows = util.sizeFromShape(segmentIds.shape);
  const out = backend.makeOutput([numSegments, ...innerShape], x.dtype);
  const dst = backend.typedArrayFromHeap(out);
  const src = backend.typedArrayFromHeap(x);
  const ids = backend.typedArrayFromHeap(segmentIds);
  dst.fill(0);
  for (let r = 0; r < rows; r++) {
    const id = ids[r]!;
    if (id < 0 || id >= numSegments) continue;
    const to = id * inner;
    const from = r * inner;
    for (let i = 0; i < inner; i++) dst[to + i]! += src[from + i]!;
  }
  return out;
}

export const unsortedSegmentSumConfig: KernelConfig = {
  kernelName: UnsortedSegmentSum,
  backendName: WASM,
  kernelFunc: unsortedSegmentSum as unknown as KernelFunc,
};
