import * as tf from '@tensorflow/tfjs-core';
import { UnlearnError } from '../errors.js';
import { registerWasmTrainingKernels } from './wasm/index.js';

export type BackendName = 'tensorflow' | 'webgpu' | 'webgl' | 'wasm' | 'cpu';

/** Fastest first: native TensorFlow, then WebGPU, WebGL (browsers), WebAssembly, pure JS. */
export const BACKEND_PREFERENCE: readonly BackendName[] = ['tensorflow', 'webgpu', 'webgl', 'wasm', 'cpu'];

export interface BackendChoice {
  /** The backend now active. */
  name: BackendName;
  /** Why each preferred backend before it was skipped. */
  skipped: { name: BackendName; reason: string }[];
  /** Kernels the core supplied for this backend (wasm training kernels). */
  suppliedKernels: string[];
}

export interface SelectBackendOptions {
  /** Use exactly this backend, or fail. */
  backend?: BackendName;
  /** Candidates in order; defaults to BACKEND_PREFERENCE. */
  prefer?: readonly BackendName[];
}

// Import by a computed name so bundlers leave optional peers alone when they are absent.
async function importOptional(name: string): Promise<unknown> {
  return import(/* @vite-ignore */ name);
}

/**
 * Imports the package that registers a backend. Skipped when the backend is already
 * registered (the app imported it, or a bundler could not resolve a computed import name, as in
 * browsers).
 */
const loaders: Record<BackendName, () => Promise<unknown>> = {
  async tensorflow() {
    try {
      await importOptional('@tensorflow/tfjs-node-gpu');
    } catch {
      await importOptional('@tensorflow/tfjs-node');
    }
  },
  webgpu: () => importOptional('@tensorflow/tfjs-backend-webgpu'),
  webgl: () => importOptional('@tensorflow/tfjs-backend-webgl'),
  wasm: () => importOptional('@tensorflow/tfjs-backend-wasm'),
  cpu: () => importOptional('@tensorflow/tfjs-backend-cpu'),
};

// tfjs's cpu backend prints a banner urging tfjs-node on first use in Node. Choosing cpu here
// is deliberate and the reasons are in BackendChoice.skipped, so the banner is only noise.
function quietCpuBanner(): void {
  const backend = tf.backend() as { firstUse?: boolean };
  if ('firstUse' in backend) backend.firstUse = false;
}

async function activate(name: BackendName): Promise<string[]> {
  if (name === 'webgl' && typeof (globalThis as { document?: unknown }).document === 'undefined') {
    throw new Error('WebGL needs a browser (no document here)');
  }
  if (name === 'webgpu') {
    const { ensureWebGpuBackend, prepareWebGpu } = await import('./webgpu.js');
    await prepareWebGpu();
    if (!tf.findBackendFactory(name)) {
      ensureWebGpuBackend((await loaders.webgpu()) as Parameters<typeof ensureWebGpuBackend>[0]);
    }
  } else if (!tf.findBackendFactory(name)) {
    await loaders[name]();
  }
  if (!tf.findBackendFactory(name)) throw new Error(`no "${name}" backend was registered by its package`);
  const ok = await tf.setBackend(name);
  if (!ok) throw new Error(`tf.setBackend('${name}') failed to initialise`);
  await tf.ready();
  if (name === 'cpu') quietCpuBanner();
  return name === 'wasm' ? registerWasmTrainingKernels() : [];
}

/**
 * Picks and activates a tfjs backend. Optional backends are loaded only if their package is
 * installed; on wasm the training kernels tfjs lacks are supplied so CNNs can train there.
 */
export async function selectBackend(options: SelectBackendOptions = {}): Promise<BackendChoice> {
  const candidates = options.backend ? [options.backend] : (options.prefer ?? BACKEND_PREFERENCE);
  const skipped: BackendChoice['skipped'] = [];
  for (const name of candidates) {
    try {
      const suppliedKernels = await activate(name);
      return { name, skipped, suppliedKernels };
    } catch (error) {
      skipped.push({ name, reason: error instanceof Error ? error.message.split('\n')[0]! : String(error) });
    }
  }
  const tried = skipped.map((s) => `${s.name} (${s.reason})`).join('; ');
  throw new UnlearnError('BACKEND_UNAVAILABLE', `No usable tfjs backend: ${tried}`);
}
