import { createUnlearner, type UnlearnContext, type Unlearner } from '@unlearn/core';
import { describe, expect, expectTypeOf, it } from 'vitest';
// Registers retrain and adds its entries to core's registries.
import '../src/index.js';
import type { FinetuneDetails, FinetuneOptions, RetrainDetails, RetrainOptions } from '../src/index.js';

// Checked by tsc (npm run typecheck); at run time these only check that the package registered.
describe('typed details', () => {
  it('createUnlearner(name) carries the details type of the method from the details registry', () => {
    const method = createUnlearner('retrain');
    expectTypeOf(method).toEqualTypeOf<Unlearner<RetrainOptions, RetrainDetails>>();
    // Never called: tsc checks what a run's outcome holds.
    const read = async (ctx: UnlearnContext) => {
      const details = (await method.unlearn(ctx))?.details;
      if (!details) return;
      expectTypeOf(details.epochsRun).toEqualTypeOf<number>();
      expectTypeOf(details.reinitialised).toEqualTypeOf<string[]>();
      // @ts-expect-error retrain reports no such detail
      return details.epochsDone;
    };
    expect(read).toBeTypeOf('function');
    expect(method.name).toBe('retrain');
  });

  it('a strength knob gives the same method, details type included', () => {
    const stronger = createUnlearner('finetune').strength?.at(4);
    expectTypeOf(stronger).toEqualTypeOf<Unlearner<FinetuneOptions, FinetuneDetails> | undefined>();
    expect(stronger?.options.epochs).toBe(4);
  });
});
