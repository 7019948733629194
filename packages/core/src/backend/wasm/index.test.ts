import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { missingWasmGradientKernels, registerWasmTrainingKernels, unregisterWasmTrainingKernels } from './index.js';
import { useWasm } from './test-helpers.js';

beforeAll(useWasm);
afterAll(() => registerWasmTrainingKernels());

const LACKING = [
  'Conv2DBackpropFilter',
  'DepthwiseConv2dNativeBackpropFilter',
  'DepthwiseConv2dNativeBackpropInput',
  'UnsortedSegmentSum',
];
const FASTER = ['AvgPoolGrad', 'BatchMatMul', 'Conv2DBackpropInput', 'Identity', 'MaxPoolGrad', 'Mean', 'Sum', 'Tile', '_FusedMatMul'];

describe('registerWasmTrainingKernels', () => {
  it('fills exactly the gaps missingWasmGradientKernels reports, idempotently', () => {
    unregisterWasmTrainingKernels();
    expect(missingWasmGradientKernels()).toEqual(LACKING);
    const first = registerWasmTrainingKernels();
    expect(first).toEqual([...LACKING, ...FASTER].sort());
    expect(missingWasmGradientKernels()).toEqual([]);
    const configs = first.map((name) => tf.getKernel(name, 'wasm'));
    expect(registerWasmTrainingKernels()).toEqual(first);
    first.forEach((name, i) => expect(tf.getKernel(name, 'wasm')).toBe(configs[i]));
  });

  it('can leave wasm’s own kernels in place, and undo that choice', () => {
    const original = tf.getKernel('BatchMatMul', 'wasm');
    expect(registerWasmTrainingKernels({ matMulFastPath: false, fasterGradients: false })).toEqual(LACKING);
    const restored = tf.getKernel('BatchMatMul', 'wasm');
    expect(restored).not.toBe(original);
    expect(registerWasmTrainingKernels()).toEqual([...LACKING, ...FASTER].sort());
  });

  it('keeps the setup functions of the kernels it wraps, for backend re-initialisation', async () => {
    for (const name of FASTER) expect(tf.getKernel(name, 'wasm')?.setupFunc ?? 'js').toBeDefined();
    expect(tf.getKernel('BatchMatMul', 'wasm')?.setupFunc).toBeTypeOf('function');
    await tf.setBackend('cpu');
    await tf.setBackend('wasm');
    const r = tf.matMul(tf.ones([2, 3]), tf.ones([4, 3]), false, true);
    expect(Array.from(r.dataSync())).toEqual(new Array(8).fill(3));
    r.dispose();
  });
});
