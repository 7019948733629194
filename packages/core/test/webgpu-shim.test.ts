import { describe, expect, it } from 'vitest';
import { flattenRequiredFeatures, shimGpu } from '../src/backend/webgpu.js';

const adapter = (features: string[]) => {
  const calls: unknown[] = [];
  return {
    calls,
    features: new Set(features),
    requestDevice: async (d?: unknown) => {
      calls.push(d);
      return { device: true };
    },
  };
};

describe('WebGPU shim for Dawn in Node', () => {
  it('flattens the nested feature list tfjs 4.22 requests and drops unsupported ones', () => {
    const a = adapter(['timestamp-query', 'bgra8unorm-storage']);
    expect(flattenRequiredFeatures(a, { requiredFeatures: ['timestamp-query', ['bgra8unorm-storage'], 'shader-f16'] })).toEqual({
      requiredFeatures: ['timestamp-query', 'bgra8unorm-storage'],
    });
    expect(flattenRequiredFeatures(a, { label: 'x' })).toEqual({ label: 'x' });
  });

  it('wraps requestDevice on adapters from a shimmed navigator.gpu', async () => {
    const a = adapter(['bgra8unorm-storage']);
    const gpu = shimGpu({ requestAdapter: async () => a });
    const got = await gpu.requestAdapter();
    await got!.requestDevice({ requiredFeatures: [['bgra8unorm-storage']] });
    expect(a.calls).toEqual([{ requiredFeatures: ['bgra8unorm-storage'] }]);
    expect(await shimGpu({ requestAdapter: async () => null }).requestAdapter()).toBeNull();
  });
});

describe('ensureWebGpuBackend', () => {
  it('registers the webgpu factory when the package was imported before navigator.gpu existed', async () => {
    const tf = await import('@tensorflow/tfjs-core');
    const { ensureWebGpuBackend } = await import('../src/backend/webgpu.js');
    expect(tf.findBackendFactory('webgpu')).toBeNull();
    class FakeBackend {}
    ensureWebGpuBackend({ WebGPUBackend: FakeBackend as never });
    expect(tf.findBackendFactory('webgpu')).toBeTypeOf('function');
    tf.removeBackend('webgpu');
    expect(() => ensureWebGpuBackend({})).toThrow(/exports no WebGPUBackend/);
  });
});
