/**
 * Shared by the *.test.ts files here: compare a computation on wasm (with the supplied kernels)
 * against the pure-JS cpu backend. Importing this module loads both backends.
 */
import * as tf from '@tensorflow/tfjs-core';
// The Node bundles of tfjs-core register no gradients; tfjs-layers' bundle does.
import '@tensorflow/tfjs-layers';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import { registerWasmTrainingKernels } from './index.js';

export async function useWasm(): Promise<void> {
  await tf.setBackend('wasm');
  await tf.ready();
  registerWasmTrainingKernels();
}

/** Deterministic values in [-1, 1); `levels` quantises them, to provoke ties (max-pool). */
export function seeded(shape: number[], seed: number, levels = 0): Float32Array {
  const out = new Float32Array(shape.reduce((a, b) => a * b, 1));
  let state = (seed * 2654435761) >>> 0 || 1;
  for (let i = 0; i < out.length; i++) {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    const v = (state >>> 0) / 2 ** 31 - 1;
    out[i] = levels ? Math.round(v * levels) / levels : v;
  }
  return out;
}

/** ‖a − b‖ / max(‖b‖, tiny), in float64. */
export function relErr(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) return Infinity;
  let num = 0;
  let den = 0;
  for (let i = 0; i < a.length; i++) {
    num += (a[i]! - b[i]!) ** 2;
    den += b[i]! ** 2;
  }
  return Math.sqrt(num) / Math.max(Math.sqrt(den), 1e-30);
}

function backendDataIds(): number {
  return (tf.backend() as unknown as { numDataIds(): number }).numDataIds();
}

export interface Both {
  wasm: Float32Array | Int32Array;
  cpu: Float32Array | Int32Array;
  shape: { wasm: number[]; cpu: number[] };
  /** Backend buffers and engine tensors left behind by the wasm run. */
  leaked: { buffers: number; tensors: number };
}

/**
 * Runs `f` (which creates its own inputs) on wasm and then on cpu. Inputs are disposed by a
 * tidy and the result after reading, so any buffer left on the wasm backend is a kernel leak.
 */
export async function onBoth(f: () => tf.Tensor): Promise<Both> {
  if (tf.getBackend() !== 'wasm') throw new Error(`expected the wasm backend, not ${tf.getBackend()}`);
  const run = () => {
    const buffers = backendDataIds();
    const tensors = tf.memory().numTensors;
    const t = tf.tidy(f);
    const data = t.dataSync() as Float32Array | Int32Array;
    const shape = t.shape;
    t.dispose();
    return { data, shape, leaked: { buffers: backendDataIds() - buffers, tensors: tf.memory().numTensors - tensors } };
  };
  const w = run();
  await tf.setBackend('cpu');
  try {
    const c = run();
    return { wasm: w.data, cpu: c.data, shape: { wasm: w.shape, cpu: c.shape }, leaked: w.leaked };
  } finally {
    await tf.setBackend('wasm');
  }
}

export function kernel(name: string, inputs: tf.NamedTensorMap, attrs: object): tf.Tensor {
  return tf.engine().runKernel(name, inputs, attrs as unknown as tf.NamedAttrMap) as tf.Tensor;
}

type Pad = 'same' | 'valid' | number | [[number, number], [number, number], [number, number], [number, number]];

export interface ConvCase {
  x: [number, number, number, number];
  filter: [number, number, number, number];
  strides: number | [number, number];
  pad: Pad;
  dataFormat?: 'NHWC' | 'NCHW';
}

/** Shapes, strides, paddings, batch sizes and channel counts for both conv2d gradients. */
export const CONV_CASES: ConvCase[] = [
  { x: [2, 7, 7, 3], filter: [3, 3, 3, 4], strides: 1, pad: 'same' },
  { x: [2, 8, 8, 3], filter: [3, 3, 3, 4], strides: 2, pad: 'same' },
  { x: [1, 9, 9, 2], filter: [3, 2, 2, 5], strides: 2, pad: 'valid' },
  { x: [3, 6, 5, 1], filter: [2, 3, 1, 2], strides: [2, 1], pad: [[0, 0], [1, 2], [0, 1], [0, 0]] },
  { x: [1, 6, 6, 8], filter: [3, 3, 8, 4], strides: 1, pad: 'valid' },
  { x: [2, 5, 7, 6], filter: [3, 3, 6, 3], strides: 1, pad: 1 },
  { x: [2, 6, 6, 1], filter: [3, 3, 1, 4], strides: 1, pad: 'same' },
  { x: [2, 9, 9, 4], filter: [5, 5, 4, 2], strides: 3, pad: 'same' },
  { x: [4, 8, 8, 16], filter: [1, 1, 16, 8], strides: 1, pad: 'valid' },
  { x: [2, 6, 5, 5], filter: [3, 2, 5, 3], strides: 1, pad: [[0, 0], [2, 1], [0, 2], [0, 0]] },
  { x: [1, 5, 5, 2], filter: [2, 2, 2, 3], strides: 1, pad: [[0, 0], [3, 0], [0, 2], [0, 0]] },
  { x: [2, 3, 7, 7], filter: [3, 3, 3, 4], strides: 1, pad: 'same', dataFormat: 'NCHW' },
  { x: [1, 2, 8, 6], filter: [3, 3, 2, 3], strides: 2, pad: 'valid', dataFormat: 'NCHW' },
];

export function convInfo(c: ConvCase, depthwise = false, dilations: number | [number, number] = 1) {
  return tf.backend_util.computeConv2DInfo(
    c.x,
    c.filter,
    c.strides,
    dilations,
    c.pad,
    undefined,
    depthwise,
    c.dataFormat === 'NCHW' ? 'channelsFirst' : 'channelsLast',
  );
}

export const describeCase = (c: ConvCase) =>
  `x ${c.x.join('x')} filter ${c.filter.join('x')} strides ${String(c.strides)} pad ${JSON.stringify(c.pad)}${c.dataFormat === 'NCHW' ? ' NCHW' : ''}`;
