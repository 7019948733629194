import { describe, expect, it } from 'vitest';
import { ALL_METHODS, parseDemoArgs } from '../src/args.js';

describe('demo arguments', () => {
  it('defaults to digit 3, every method, seed 0, wasm', () => {
    expect(parseDemoArgs([])).toEqual({
      digit: 3,
      methods: [...ALL_METHODS],
      seed: 0,
      quick: false,
      out: 'demo-output',
      backend: 'wasm',
      cache: true,
      help: false,
    });
  });

  it('--no-cache turns the retrain cache off', () => {
    expect(parseDemoArgs(['--no-cache']).cache).toBe(false);
  });

  it('takes a digit, a method subset, a seed and quick mode', () => {
    const a = parseDemoArgs(['--digit', '7', '--methods', 'jit, ssd', '--seed', '4', '--quick', '--threads', '2']);
    expect(a).toMatchObject({ digit: 7, methods: ['jit', 'ssd'], seed: 4, quick: true, threads: 2 });
  });

  it('names the bad option', () => {
    expect(() => parseDemoArgs(['--digit', '12'])).toThrow(/--digit must be 0-9/);
    expect(() => parseDemoArgs(['--methods', 'jit,magic'])).toThrow(/unknown magic/);
    expect(() => parseDemoArgs(['--seed', '-1'])).toThrow(/--seed/);
    expect(() => parseDemoArgs(['--backend', 'tpu'])).toThrow(/--backend/);
    expect(() => parseDemoArgs(['--threads', '0'])).toThrow(/--threads must be a positive integer/);
    expect(() => parseDemoArgs(['--colour'])).toThrow();
  });
});
