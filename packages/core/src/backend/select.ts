import * as tf from '@tensorflow/tfjs-core';
import { UnlearnError } from '../errors.js';
import { registerWasmTrainingKernels } from './wasm/index.js';

export type BackendName = 'tensorflow' | 'webgpu' | 'wasm' | 'cpu';

/** Fastest first: native TensorFlow, then WebGPU, then WebAssembly, then pure JS. */
export const BACKEND_PREFERENCE: readonly BackendName[] = ['tensorflow', 'webgpu', 'wasm', 'cpu'];

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

type Loader = () => Promise<{ tfName: string; supplied?: string[] }>;

const loaders: Record<BackendName, Loader> = {
  async tensorflow() {
    try {
      await importOptional('@tensorflow/tfjs-node-gpu');
    } catch {
      await importOptional('@tensorflow/tfjs-node');
    }
    return { tfName: 'tensorflow' };
  },
  async webgpu() {
    const { ensureWebGpuBackend, prepareWebGpu } = await import('./webgpu.js');
    await prepareWebGpu();
    ensureWebGpuBackend((await importOptional('@tensorflow/tfjs-backend-webgpu')) as Parameters<typeof ensureWebGpuBackend>[0]);
    return { tfName: 'webgpu' };
  },
  async wasm() {
    await importOptional('@tensorflow/tfjs-backend-wasm');
    return { tfName: 'wasm', supplied: [] };
  },
  async cpu() {
    await importOptional('@tensorflow/tfjs-backend-cpu');
    return { tfName: 'cpu' };
  },
};

// tfjs's cpu backend prints a banner urging tfjs-node on first use in Node. Choosing cpu here
// is deliberate and the reasons are in BackendChoice.skipped, so the banner is only noise.
function quietCpuBanner(): void {
  const backend = tf.backend() as { firstUse?: boolean };
  if ('firstUse' in backend) backend.firstUse = false;
}

async function activate(name: BackendName): Promise<string[]> {
  const { tfName } = await loaders[name]();
  if (!tf.findBackendFactory(tfName)) throw new Error(`no "${tfName}" backend was registered by its package`);
  const ok = await tf.setBackend(tfName);
  if (!ok) throw new Error(`tf.setBackend('${tfName}') failed to initialise`);
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
