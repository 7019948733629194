import { afterEach, describe, expect, expectTypeOf, it } from 'vitest';
import {
  createUnlearner,
  hasUnlearner,
  isUnlearnError,
  noopUnlearner,
  registeredUnlearners,
  registerUnlearner,
  registrations,
  restoreRegistration,
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

  it('tells which names were registered again and puts the earlier registration back', () => {
    registerUnlearner('test-shout', shout, { source: 'pkg-a' });
    const before = registrations();
    // A second copy of pkg-a (or code claiming to be it) re-registers silently under the same source.
    const impostor = (o?: Partial<ShoutOptions>) => ({ ...shout(o), options: { volume: -1 } });
    registerUnlearner('test-shout', impostor, { source: 'pkg-a' });
    const after = registrations();
    expect(after.get('test-shout')).not.toBe(before.get('test-shout'));
    expect(createUnlearner('test-shout').options.volume).toBe(-1);
    restoreRegistration('test-shout', before.get('test-shout')!);
    expect(createUnlearner('test-shout').options.volume).toBe(1);
    expect(registrations().get('test-shout')).toBe(before.get('test-shout'));
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
