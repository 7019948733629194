import { createUnlearner, hasUnlearner, registeredUnlearners, type UnlearnContext, type Unlearner } from '@unlearn/core';
import { describe, expect, expectTypeOf, it } from 'vitest';
import { GRADIENT_ASCENT_DEFAULTS, type GradientAscentDetails, type GradientAscentOptions } from '../src/index.js';

describe('registration', () => {
  it('registers gradient-ascent with its defaults and source', () => {
    expect(hasUnlearner('gradient-ascent')).toBe(true);
    expect(registeredUnlearners().find((m) => m.name === 'gradient-ascent')).toMatchObject({
      defaults: GRADIENT_ASCENT_DEFAULTS,
      source: 'unlearn-plugin-gradient-ascent',
    });
  });

  it('types createUnlearner through the augmented registry', () => {
    const method = createUnlearner('gradient-ascent', { lr: 0.02 });
    // Checked by `tsc` (npm run typecheck): the registry entry gives the options type.
    expectTypeOf(method).toEqualTypeOf<Unlearner<GradientAscentOptions, GradientAscentDetails>>();
    // A wrongly typed option for a registered name does not compile (never called: tsc checks it).
    // @ts-expect-error lr is a number
    const wrong = () => createUnlearner('gradient-ascent', { lr: 'fast' });
    expect(wrong).toBeTypeOf('function');
    // Options that slip past the types (plain JS, config files) are still refused at run time.
    expect(() => createUnlearner('gradient-ascent', { lr: -1 }).validate?.()).toThrow(/option "lr"/);
    expect(method.options).toEqual({ ...GRADIENT_ASCENT_DEFAULTS, lr: 0.02 });
  });

  it('types the details of a run through the augmented details registry', () => {
    const method = createUnlearner('gradient-ascent');
    // Never called: tsc checks what a run's outcome holds.
    const read = async (ctx: UnlearnContext) => {
      const details = (await method.unlearn(ctx))?.details;
      if (!details) return;
      expectTypeOf(details).toEqualTypeOf<GradientAscentDetails>();
      expectTypeOf(details.losses).toEqualTypeOf<number[]>();
      // @ts-expect-error gradient-ascent reports no epochsRun
      return details.epochsRun;
    };
    expect(read).toBeTypeOf('function');
  });
});
