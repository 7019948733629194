import * as tf from '@tensorflow/tfjs-core';

/**
 * WebGPU in Node: tfjs-backend-webgpu expects `navigator.gpu`, which the optional `webgpu`
 * package (Dawn's Node binding) provides. The backend is offered only when an adapter
 * really exists, so machines without a GPU fall back with the reason recorded.
 */
interface DeviceDescriptor {
  requiredFeatures?: unknown[];
  [key: string]: unknown;
}
interface AdapterLike {
  features: { has(name: string): boolean };
  requestDevice(descriptor?: DeviceDescriptor): Promise<unknown>;
}
interface GpuLike {
  requestAdapter(options?: unknown): Promise<AdapterLike | null>;
}

async function importOptional(name: string): Promise<Record<string, unknown>> {
  return import(/* @vite-ignore */ name) as Promise<Record<string, unknown>>;
}

/**
 * tfjs-backend-webgpu 4.22 pushes `['bgra8unorm-storage']` (an array) into requiredFeatures.
 * Browsers coerce it to a string; Dawn's Node binding rejects it. Flatten the list and keep
 * only features the adapter has.
 */
export function flattenRequiredFeatures(adapter: AdapterLike, descriptor: DeviceDescriptor = {}): DeviceDescriptor {
  if (!descriptor.requiredFeatures) return descriptor;
  const names = descriptor.requiredFeatures.flat(2).map(String);
  return { ...descriptor, requiredFeatures: [...new Set(names)].filter((n) => adapter.features.has(n)) };
}

export function shimGpu(gpu: GpuLike): GpuLike {
  const requestAdapter = gpu.requestAdapter.bind(gpu);
  return {
    async requestAdapter(options?: unknown) {
      const adapter = await requestAdapter(options);
      if (!adapter) return adapter;
      const requestDevice = adapter.requestDevice.bind(adapter);
      adapter.requestDevice = (descriptor?: DeviceDescriptor) => requestDevice(flattenRequiredFeatures(adapter, descriptor));
      return adapter;
    },
  };
}

type WebGpuBackendClass = new (device: unknown, adapterInfo?: unknown) => tf.KernelBackend;

/**
 * tfjs-backend-webgpu registers its backend at import time only if `navigator.gpu` already
 * exists. In Node, Dawn installs `navigator.gpu` later (in `prepareWebGpu`), so an app that
 * imported the package first has no 'webgpu' backend: register the same factory ourselves.
 */
export function ensureWebGpuBackend(module: { WebGPUBackend?: WebGpuBackendClass }): void {
  if (tf.findBackendFactory('webgpu')) return;
  const Backend = module.WebGPUBackend;
  if (typeof Backend !== 'function') throw new Error('@tensorflow/tfjs-backend-webgpu exports no WebGPUBackend');
  tf.registerBackend(
    'webgpu',
    async () => {
      const gpu = (globalThis as { navigator?: { gpu?: GpuLike } }).navigator?.gpu;
      const adapter = await gpu?.requestAdapter({ powerPreference: 'high-performance' });
      if (!adapter) throw new Error('no WebGPU adapter');
      const wanted = ['timestamp-query', 'bgra8unorm-storage'].filter((f) => adapter.features.has(f));
      const device = await adapter.requestDevice({ requiredFeatures: wanted });
      const info = (adapter as { info?: unknown }).info;
      return new Backend(device, info);
    },
    3,
  );
}

export async function prepareWebGpu(): Promise<void> {
  const holder = globalThis as { navigator?: { gpu?: GpuLike } };
  let gpu = holder.navigator?.gpu;
  if (!gpu) {
    let dawn: Record<string, unknown>;
    try {
      dawn = await importOptional('webgpu');
    } catch (error) {
      throw new Error(
        `no navigator.gpu, and the optional "webgpu" package (Dawn for Node) could not be loaded: ${(error as Error).message.split('\n')[0]}`,
      );
    }
    const create = dawn.create as ((flags: string[]) => GpuLike) | undefined;
    if (typeof create !== 'function') throw new Error('the "webgpu" package has no create()');
    Object.assign(globalThis, dawn.globals as object);
    gpu = shimGpu(create([]));
    if (holder.navigator) Object.defineProperty(holder.navigator, 'gpu', { value: gpu, configurable: true });
    else Object.defineProperty(globalThis, 'navigator', { value: { gpu }, configurable: true, writable: true });
  }
  const adapter = await gpu.requestAdapter();
  if (!adapter) throw new Error('navigator.gpu.requestAdapter() returned no adapter (no usable GPU)');
}
