import * as tf from '@tensorflow/tfjs-core';
import type {
  DataId,
  DataType,
  KernelConfig,
  KernelFunc,
  NamedAttrMap,
  NamedTensorInfoMap,
  TensorInfo,
} from '@tensorflow/tfjs-core';

/**
 * The slice of tfjs-backend-wasm's BackendWasm these kernels use. Declared structurally so that
 * this package never imports the optional wasm backend, not even for its types.
 */
export interface WasmBackend {
  makeOutput(shape: number[], dtype: DataType): TensorInfo;
  disposeData(dataId: DataId, force?: boolean): boolean;
  typedArrayFromHeap(info: TensorInfo): Float32Array | Int32Array | Uint8Array;
}

export const WASM = 'wasm';

/**
 * Kernels here call other wasm kernels' functions directly, never tf ops: an op would be
 * tracked by the engine (counting towards tf.memory() and needing a tensor wrapper around the
 * returned data), while a kernelFunc only allocates backend data that we free ourselves.
 */
export function callKernel(
  name: string,
  backend: WasmBackend,
  inputs: NamedTensorInfoMap,
  attrs: NamedAttrMap = {},
): TensorInfo {
  const kernel = tf.getKernel(name, WASM);
  if (!kernel) throw new Error(`wasm kernel ${name} is not registered`);
  return kernel.kernelFunc({ inputs, backend, attrs }) as TensorInfo;
}

/** Intermediate backend data of one kernel call, freed together whatever happens. */
export class Scratch {
  private readonly infos: TensorInfo[] = [];

  constructor(readonly backend: WasmBackend) {}

  track(info: TensorInfo): TensorInfo {
    this.infos.push(info);
    return info;
  }

  alloc(shape: number[], dtype: DataType = 'float32'): TensorInfo {
    return this.track(this.backend.makeOutput(shape, dtype));
  }

  run(name: string, inputs: NamedTensorInfoMap, attrs: NamedAttrMap = {}): TensorInfo {
    return this.track(callKernel(name, this.backend, inputs, attrs));
  }

  /** Frees one intermediate early, e.g. inside a loop. */
  free(info: TensorInfo): void {
    const i = this.infos.indexOf(info);
    if (i >= 0) this.infos.splice(i, 1);
    this.backend.disposeData(info.dataId);
  }

  reshape(x: TensorInfo, shape: number[]): TensorInfo {
    return this.run('Reshape', { x }, { shape });
  }

  transpose(x: TensorInfo, perm: number[]): TensorInfo {
    return this.run('Transpose', { x }, { perm });
  }

  /**
   * Frees every tracked intermediate except `result`. Compared by object, not dataId: a
   * Reshape output shares its input's dataId but holds its own reference count.
   */
  dispose(result?: TensorInfo): void {
    for (const info of this.infos) if (info !== result) this.backend.disposeData(info.dataId);
    this.infos.length = 0;
  }
}

/** Runs `body` with a Scratch and frees all its intermediates but the returned one. */
export function withScratch(backend: WasmBackend, body: (s: Scratch) => TensorInfo): TensorInfo {
  const scratch = new Scratch(backend);
  let result: TensorInfo | undefined;
  try {
    result = body(scratch);
    return result;
  } finally {
    scratch.dispose(result);
  }
}

/**
 * Heap views must be taken after the last allocation of a kernel: growing wasm memory detaches
 * the ArrayBuffer behind earlier views.
 */
export function f32(backend: WasmBackend, info: TensorInfo): Float32Array {
  const view = backend.typedArrayFromHeap(info);
  if (!(view instanceof Float32Array)) throw new Error(`expected float32 data, got ${info.dtype}`);
  return view;
}

// Symbol.for: the tfjs kernel registry is global, and a second copy of this module (a bundle,
// vitest's per-file module graph) must still recognise kernels the first copy registered.
const ORIGINAL = Symbol.for('@unlearn/core/wasm-original-kernel');
const SUPPLIED = Symbol.for('@unlearn/core/wasm-supplied-kernel');
type Marked = KernelConfig & { [ORIGINAL]?: KernelConfig; [SUPPLIED]?: true };

function registered(name: string): Marked | undefined {
  return tf.getKernel(name, WASM) as Marked | undefined;
}

/** Registers a kernel wasm lacks; never overrides one a newer tfjs-backend-wasm ships. */
export function supplyKernel(config: KernelConfig): boolean {
  if (registered(config.kernelName)) return false;
  tf.registerKernel({ ...config, [SUPPLIED]: true } as Marked);
  return true;
}

/** Removes a kernel supplyKernel registered. Returns false if it is not ours. */
export function unsupplyKernel(name: string): boolean {
  if (!registered(name)?.[SUPPLIED]) return false;
  tf.unregisterKernel(name, WASM);
  return true;
}

/** Whether the registered kernel is one supplied or replaced by this module. */
export function isOurs(name: string): boolean {
  const k = registered(name);
  return Boolean(k?.[SUPPLIED] || k?.[ORIGINAL]);
}

/**
 * Swaps a wasm kernel for `make(original)`, keeping the original so it can be called as a
 * fallback and restored. Returns false if it was already replaced.
 */
export function replaceKernel(name: string, make: (original: KernelConfig) => KernelFunc): boolean {
  const current = registered(name);
  if (!current) throw new Error(`wasm kernel ${name} is not registered: import @tensorflow/tfjs-backend-wasm first`);
  if (current[ORIGINAL]) return false;
  const replacement: Marked = {
    kernelName: name,
    backendName: WASM,
    kernelFunc: make(current),
    // Kept so that a later tf.setBackend('wasm') still binds the C++ entry points the original uses.
    ...(current.setupFunc ? { setupFunc: current.setupFunc } : {}),
    ...(current.disposeFunc ? { disposeFunc: current.disposeFunc } : {}),
    [ORIGINAL]: current,
  };
  tf.unregisterKernel(name, WASM);
  tf.registerKernel(replacement);
  return true;
}

/** Puts back the kernel replaceKernel displaced. Returns false if it was not replaced. */
export function restoreKernel(name: string): boolean {
  const original = registered(name)?.[ORIGINAL];
  if (!original) return false;
  tf.unregisterKernel(name, WASM);
  tf.registerKernel(original);
  return true;
}

export function isReplaced(name: string): boolean {
  return Boolean(registered(name)?.[ORIGINAL]);
}
