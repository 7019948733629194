import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { isUnlearnError, selectBackend } from '../src/index.js';

describe('selectBackend', () => {
  it('skips backends whose optional package is missing and says why', async () => {
    const current = tf.getBackend();
    const choice = await selectBackend({ prefer: ['tensorflow', 'webgpu', current as 'cpu'] });
    expect(choice.name).toBe(current);
    expect(choice.skipped.map((s) => s.name)).toEqual(['tensorflow', 'webgpu']);
    expect(choice.skipped[1]!.reason).toMatch(/navigator\.gpu|webgpu/);
  });

  it('activates wasm and supplies the training kernels tfjs lacks', async () => {
    const previous = tf.getBackend() as 'cpu' | 'wasm';
    const choice = await selectBackend({ backend: 'wasm' });
    expect(choice.name).toBe('wasm');
    expect(tf.getBackend()).toBe('wasm');
    expect(tf.getKernel('Conv2DBackpropFilter', 'wasm')).toBeDefined();
    await selectBackend({ backend: previous });
  });

  it('fails with BACKEND_UNAVAILABLE when the only allowed backend cannot load', async () => {
    const error = await selectBackend({ backend: 'tensorflow' }).catch((e: unknown) => e);
    expect(isUnlearnError(error, 'BACKEND_UNAVAILABLE')).toBe(true);
    expect((error as Error).message).toMatch(/tensorflow/);
  });
});
