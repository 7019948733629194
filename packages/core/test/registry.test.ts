import { afterEach, describe, expect, expectTypeOf, it } from 'vitest';
import {
  createUnlearner,
  hasUnlearner,
  isUnlearnError,
  noopUnlearner,
  registeredUnlearners,
  registerUnlearner,
  unregisterUnlearner,
  type Unlearner,
} from '../src/index.js';

interface ShoutOptions {
  volume: number;
}

declare module '../src/index.js' {
  interface UnlearnerRegistry {
    'test-shout': ShoutOptions;
  }
}

const shout = (options: Partial<ShoutOptions> = {}): Unlearner<ShoutOptions> => ({
  ...noopUnlearner(),
  strength: undefined,
  name: 'test-shout',
  options: { volume: options.volume ?? 1 },
});

afterEach(() => {
  unregisterUnlearner('test-shout');
});

describe('registry', () => {
  it('creates a registered method by name with typed options', () => {
    registerUnlearner('test-shout', shout, { description: 'test', defaults: { volume: 1 }, source: 'test' });
    const u = createUnlearner('test-shout', { volume: 11 });
    expectTypeOf(u.options).toEqualTypeOf<ShoutOptions>();
    expect(u.options.volume).toBe(11);
    // @ts-expect-error a registered method's options are type-checked
    createUnlearner('test-shout', { volume: 'loud' });
    // Names outside the registry stay usable with untyped options.
    expectTypeOf(createUnlearner).toBeCallableWith('some-plugin', { anything: 1 });
    expect(hasUnlearner('test-shout')).toBe(true);
    expect(registeredUnlearners().find((m) => m.name === 'test-shout')).toEqual({
      name: 'test-shout',
      description: 'test',
      defaults: { volume: 1 },
      source: 'test',
    });
  });

  it('names the registered methods when asked for an unknown one', () => {
    registerUnlearner('test-shout', shout);
    let error: unknown;
    try {
      createUnlearner('nope');
    } catch (e) {
      error = e;
    }
    expect(isUnlearnError(error, 'UNKNOWN_METHOD')).toBe(true);
    expect((error as Error).message).toMatch(/Unknown unlearning method "nope"\. Registered: .*test-shout/);
  });

  it('refuses a second registration under the same name unless replacing', () => {
    registerUnlearner('test-shout', shout, { source: 'pkg-a' });
    const other = (o?: Partial<ShoutOptions>) => shout(o);
    expect(() => registerUnlearner('test-shout', other)).toThrow(/already registered by pkg-a/);
    registerUnlearner('test-shout', other, { replace: true });
    registerUnlearner('test-shout', other);
  });

  it('rejects names that would not work on a command line', () => {
    expect(() => registerUnlearner('My Method', shout as never)).toThrow(/lower-case/);
  });

  it('shares one registry between copies of the package', () => {
    registerUnlearner('test-shout', shout);
    const key = Symbol.for('@unlearn/core/registry');
    const shared = (globalThis as unknown as Record<symbol, Map<string, unknown>>)[key];
    expect(shared?.has('test-shout')).toBe(true);
  });
});
