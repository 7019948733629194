import * as tf from '@tensorflow/tfjs-core';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { registerWasmTrainingKernels } from '@unlearn/core';

export type PlaygroundBackend = 'webgl' | 'wasm' | 'cpu';

export interface BackendReport {
  name: PlaygroundBackend;
  skipped: { name: PlaygroundBackend; reason: string }[];
  /** Training kernels core supplied (wasm only). */
  suppliedKernels: string[];
}

/** The WebGL renderer's name when it is a CPU emulation (SwiftShader, llvmpipe), else undefined. */
export function softwareWebGl(): string | undefined {
  if (typeof document === 'undefined') return undefined;
  const gl = document.createElement('canvas').getContext('webgl2') ?? document.createElement('canvas').getContext('webgl');
  if (!gl) return undefined;
  const info = gl.getExtension('WEBGL_debug_renderer_info');
  const renderer = String(gl.getParameter(info ? info.UNMASKED_RENDERER_WEBGL : gl.RENDERER));
  gl.getExtension('WEBGL_lose_context')?.loseContext();
  return /swiftshader|llvmpipe|softpipe|software/i.test(renderer) ? renderer : undefined;
}

/**
 * WebGL through tfjs's own backend (registered by @tensorflow/tfjs, which core imports), then
 * wasm with core's training kernels, then the pure-JS cpu backend. core's selectBackend loads
 * backends by a computed import name, which a browser cannot resolve, so the playground
 * activates them itself. WebGL emulated on the CPU (no GPU, or a blocked driver) trains about
 * 20x slower than wasm here, so it is skipped unless asked for alone.
 */
export async function chooseBackend(wasmDir: string, prefer: readonly PlaygroundBackend[] = ['webgl', 'wasm', 'cpu']): Promise<BackendReport> {
  const skipped: BackendReport['skipped'] = [];
  for (const name of prefer) {
    try {
      if (name === 'webgl' && prefer.length > 1) {
        const software = softwareWebGl();
        if (software) throw new Error(`software renderer (${software.replace(/\s*\(0x[0-9a-f]+\)/gi, '')}), slower than wasm`);
      }
      if (name === 'wasm') setWasmPaths(wasmDir);
      if (!tf.findBackendFactory(name)) throw new Error(`no ${name} backend is registered`);
      if (!(await tf.setBackend(name))) throw new Error(`tf.setBackend('${name}') failed to initialise`);
      await tf.ready();
      const suppliedKernels = name === 'wasm' ? registerWasmTrainingKernels() : [];
      return { name, skipped, suppliedKernels };
    } catch (error) {
      skipped.push({ name, reason: error instanceof Error ? error.message.split('\n')[0]! : String(error) });
    }
  }
  throw new Error(`no usable backend: ${skipped.map((s) => `${s.name} (${s.reason})`).join('; ')}`);
}
