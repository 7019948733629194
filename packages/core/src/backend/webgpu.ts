/**
 * WebGPU in Node: tfjs-backend-webgpu expects `navigator.gpu`. In Node it can come from the
 * `webgpu` package (Dawn's binding). The backend is offered only when an adapter really exists.
 */
interface GpuLike {
  requestAdapter(options?: unknown): Promise<unknown>;
}

async function importOptional(name: string): Promise<Record<string, unknown>> {
  return import(/* @vite-ignore */ name) as Promise<Record<string, unknown>>;
}

export async function prepareWebGpu(): Promise<void> {
  const nav = (globalThis as { navigator?: { gpu?: GpuLike } }).navigator;
  let gpu = nav?.gpu;
  if (!gpu) {
    let dawn: Record<string, unknown>;
    try {
      dawn = await importOptional('webgpu');
    } catch {
      throw new Error('no navigator.gpu, and the optional "webgpu" package (Dawn for Node) is not installed');
    }
    const create = dawn.create as ((flags: string[]) => GpuLike) | undefined;
    if (typeof create !== 'function') throw new Error('the "webgpu" package has no create()');
    Object.assign(globalThis, dawn.globals as object);
    gpu = create([]);
    const target = (globalThis as { navigator?: object }).navigator;
    if (target) Object.defineProperty(target, 'gpu', { value: gpu, configurable: true });
    else Object.defineProperty(globalThis, 'navigator', { value: { gpu }, configurable: true });
  }
  const adapter = await gpu.requestAdapter();
  if (!adapter) throw new Error('navigator.gpu.requestAdapter() returned no adapter (no usable GPU)');
}
