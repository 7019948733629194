import * as tf from '@tensorflow/tfjs-core';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import { describe, expect, expectTypeOf, it } from 'vitest';
import { autoUnlearn, defineUnlearner, unlearn, type Unlearner, type UnlearnDetails } from '../src/index.js';
import { syntheticClassification, tinyClassifier } from '../src/testing/index.js';

// The runner hands back the details type the method declared (checked by `tsc`: npm run typecheck),
// and the values the method returned (checked here at run time).
type ScaleDetails = { factor: number; variables: string[] };

function scale(factor: number): Unlearner<{ factor: number }, ScaleDetails> {
  return defineUnlearner({
    name: 'test-scale',
    options: { factor },
    needs: {},
    strength: { option: 'factor', direction: 'decreasing', weakest: 0.9, strongest: 0.1, at: (f) => scale(f) },
    async unlearn(ctx) {
      for (const v of ctx.model.trainable) v.variable.assign(tf.mul(v.variable, factor));
      return { details: { factor, variables: ctx.model.trainable.map((v) => v.name) } };
    },
  });
}

describe('typed details', () => {
  it("unlearn() and autoUnlearn() return the method's details type", async () => {
    const model: LayersModel = tinyClassifier({ inputDim: 4, classes: 3 });
    const data = syntheticClassification({ n: 12, inputDim: 4, classes: 3 });
    try {
      const result = await unlearn(model, { forget: data }, scale(0.5));
      expectTypeOf(result.details).toEqualTypeOf<ScaleDetails>();
      // @ts-expect-error the method declared no such detail
      expect(result.details.missing).toBeUndefined();
      expect(result.details.factor).toBe(0.5);
      expect(result.details.variables).toHaveLength(model.trainableWeights.length);
      result.model.dispose();

      const auto = await autoUnlearn(model, { forget: data }, scale(0.9), { targetForgetAccuracy: 1 });
      expectTypeOf(auto.result?.details).toEqualTypeOf<ScaleDetails | undefined>();
      auto.result?.model.dispose();
    } finally {
      model.dispose();
      tf.dispose([data.x, data.y]);
    }
  });

  it('an untyped method keeps the loose default', () => {
    expectTypeOf<Unlearner['unlearn']>().returns.resolves.toEqualTypeOf<{ details?: UnlearnDetails } | void>();
    // A typed method is still a plain Unlearner where one is expected (registries, benchmark grids).
    const loose: Unlearner<{ factor: number }> = scale(0.5);
    expect(loose.name).toBe('test-scale');
  });
});
