import { afterEach, describe, expect, it } from 'vitest';
import {
  createUnlearner,
  defineOptions,
  defineUnlearner,
  isUnlearnError,
  methodSchema,
  option,
  registeredUnlearners,
  registerUnlearner,
  unregisterUnlearner,
  type Unlearner,
} from '../src/index.js';

interface DemoOptions {
  rate: number;
  steps: number;
  mode: 'fast' | 'exact';
  chunk: number | 'auto';
  hook?: () => void;
  window?: { from: number; to: number };
  preset?: string;
}

const DEMO = defineOptions<DemoOptions>({
  method: 'demo',
  fields: {
    rate: option.number({ above: 0 }),
    steps: option.count(),
    mode: option.oneOf(['fast', 'exact']),
    chunk: option.orAuto(option.count()),
    hook: option.func('() => void'),
    window: option.custom<{ from: number; to: number }>({
      requirement: 'an object { from, to }',
      check: (v) => {
        const w = v as { from?: unknown; to?: unknown };
        if (typeof w !== 'object' || w === null) return false;
        return typeof w.to === 'number' ? undefined : { path: 'to', requirement: 'a number', value: w.to };
      },
    }),
    preset: option.oneOf(['small', 'large']),
  },
  defaults: { rate: 0.1, steps: 1, mode: 'fast', chunk: 'auto' },
  presets: { small: { rate: 0.01, source: 'a test' }, large: { rate: 1, steps: 10, source: 'a test' } },
  refine: (o) => (o.mode === 'exact' && o.chunk !== 'auto' ? { option: 'chunk', requirement: "'auto' when mode is 'exact'", value: o.chunk } : undefined),
});

function problem(options: Partial<DemoOptions> | Record<string, unknown>): string {
  try {
    DEMO.validate(DEMO.resolve(options as Partial<DemoOptions>));
  } catch (error) {
    expect(isUnlearnError(error, 'INVALID_OPTION'), String(error)).toBe(true);
    return (error as Error).message;
  }
  return 'valid';
}

describe('defineOptions', () => {
  it('resolves defaults, then the preset, then the given values (undefined counts as unset)', () => {
    expect(DEMO.resolve()).toEqual({ rate: 0.1, steps: 1, mode: 'fast', chunk: 'auto' });
    expect(DEMO.resolve({ preset: 'large', steps: 3, rate: undefined })).toEqual({ rate: 1, steps: 3, mode: 'fast', chunk: 'auto', preset: 'large' });
    // The preset's `source` is documentation, not an option.
    expect(DEMO.resolve({ preset: 'small' })).not.toHaveProperty('source');
  });

  it('[bad input] an option out of range or of the wrong type (rate 0, steps 1.5, mode "exat", a nested field) → INVALID_OPTION naming the option, what it must be, and a "did you mean" for a misspelt choice', () => {
    expect(problem({ rate: 0 })).toBe('demo: option "rate" must be a finite number > 0 (got 0)');
    expect(problem({ steps: 1.5 })).toMatch(/"steps" must be an integer >= 1/);
    expect(problem({ mode: 'slow' })).toMatch(/"mode" must be one of 'fast', 'exact' \(got "slow"\)/);
    expect(problem({ mode: 'exat' })).toMatch(/"mode" must be one of 'fast', 'exact' \(did you mean 'exact'\?\)/);
    expect(problem({ chunk: 0 })).toMatch(/"chunk" must be 'auto' or an integer >= 1/);
    expect(problem({ hook: 3 })).toMatch(/"hook" must be a function \(\) => void/);
    expect(problem({ window: { from: 1, to: 'x' } })).toMatch(/"window.to" must be a number \(got "x"\)/);
    expect(problem({ mode: 'exact', chunk: 4 })).toMatch(/"chunk" must be 'auto' when mode is 'exact'/);
    expect(problem({ rate: 0.5, chunk: 4, hook: () => {}, window: { from: 0, to: 1 } })).toBe('valid');
  });

  it('[bad input] an unknown option key (rat for rate, colour, __proto__) → INVALID_OPTION with a "did you mean" suggestion or the list of options; nothing written through to Object.prototype', () => {
    expect(problem({ rat: 1 })).toMatch(/unknown option "rat"; did you mean "rate"\?/);
    expect(problem({ setps: 1 })).toMatch(/did you mean "steps"\?/);
    expect(problem({ colour: 'red' })).toMatch(/unknown option "colour" \(options: rate, steps/);
    // Keys that would reach Object.prototype are unknown options, never written through.
    expect(problem(JSON.parse('{"__proto__": {"polluted": 1}}'))).toMatch(/unknown option "__proto__"/);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('[bad input] a renamed option (workers, now threads; a method\'s own renamed map) → INVALID_OPTION naming the new name, however far the spelling', () => {
    const threaded = defineOptions<{ threads?: number; rate?: number }>({
      method: 'threaded',
      fields: { threads: option.threads(), rate: option.number() },
      defaults: {},
      renamed: { speed: 'rate' },
    });
    const message = (given: Record<string, unknown>) => {
      try {
        threaded.validate(threaded.resolve(given));
      } catch (error) {
        expect(isUnlearnError(error, 'INVALID_OPTION'), String(error)).toBe(true);
        return (error as Error).message;
      }
      return 'valid';
    };
    expect(message({ workers: 2 })).toMatch(/unknown option "workers"; it is now called "threads": did you mean "threads"\?/);
    expect(message({ speed: 1 })).toMatch(/unknown option "speed"; it is now called "rate"/);
    expect(message({ threads: 2 })).toBe('valid');
    // A method without the new name gets the plain unknown-option error.
    expect(problem({ workers: 2 })).toMatch(/unknown option "workers" \(options: rate, steps/);
  });

  it('rejects an unknown preset, listing the known ones with a suggestion', () => {
    expect(problem({ preset: 'larg' })).toMatch(/"preset" must be one of 'small', 'large' \(did you mean 'large'\?\) \(got "larg"\)/);
    // The unknown preset fills nothing, so resolve never throws.
    expect(DEMO.resolve({ preset: 'huge' }).rate).toBe(0.1);
  });

  it('writes JSON-safe options for records and the defaults for listings', () => {
    expect(DEMO.toJson(DEMO.resolve({ hook: () => {}, window: { from: 0, to: 1 } }))).toEqual({
      rate: 0.1,
      steps: 1,
      mode: 'fast',
      chunk: 'auto',
      hook: '(function)',
      window: { from: 0, to: 1 },
    });
    expect(DEMO.defaultsJson()).toEqual({ rate: 0.1, steps: 1, mode: 'fast', chunk: 'auto' });
  });

  it('reads command-line strings by the option type', () => {
    expect(DEMO.fromText('rate', '0.5')).toBe(0.5);
    expect(DEMO.fromText('rate', 'fast')).toBe('fast'); // left for validation to report
    expect(DEMO.fromText('chunk', 'auto')).toBe('auto');
    expect(DEMO.fromText('chunk', '64')).toBe(64);
    expect(DEMO.fromText('mode', 'true')).toBe('true'); // a string option stays a string
    expect(DEMO.fromText('window', '{"from":0,"to":2}')).toEqual({ from: 0, to: 2 });
    expect(DEMO.fromText('unknown', '[1,2]')).toEqual([1, 2]);
    expect(option.boolean().fromText('false')).toBe(false);
  });
});

describe('methods with a schema', () => {
  afterEach(() => unregisterUnlearner('demo'));

  const demo = (options: Partial<DemoOptions> = {}): Unlearner<DemoOptions> =>
    defineUnlearner({ name: 'demo', options: DEMO.resolve(options), needs: {}, schema: DEMO, unlearn: async () => {} });

  it('get validate() from the schema', () => {
    expect(() => demo({ rate: -1 }).validate?.()).toThrow(/demo: option "rate"/);
    expect(() => demo().validate?.()).not.toThrow();
  });

  it('are listed with the schema defaults, and the schema is found by name', () => {
    registerUnlearner('demo', demo, { description: 'd', schema: DEMO, source: 'demo-pkg' });
    expect(registeredUnlearners().find((m) => m.name === 'demo')).toEqual({
      name: 'demo',
      description: 'd',
      defaults: DEMO.defaultsJson(),
      source: 'demo-pkg',
    });
    expect(methodSchema('demo')).toBe(DEMO);
    expect(createUnlearner('demo', { rate: 2 }).options).toMatchObject({ rate: 2 });
  });

  it('may be registered again by the same package (ESM and CJS copies), not by another', () => {
    registerUnlearner('demo', demo, { schema: DEMO, source: 'demo-pkg' });
    const copy = (options: Partial<DemoOptions> = {}) => demo(options);
    expect(() => registerUnlearner('demo', copy, { schema: DEMO, source: 'demo-pkg' })).not.toThrow();
    const other = (options: Partial<DemoOptions> = {}) => demo(options);
    expect(() => registerUnlearner('demo', other, { source: 'someone-else' })).toThrow(/already registered by demo-pkg/);
  });
});
