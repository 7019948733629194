import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { runConformance } from '../src/testing/index.js';
import { describeUnlearner } from '../src/testing/vitest.js';
import { noopUnlearner } from '../src/index.js';
import { syntheticClassification, tinyClassifier } from '../src/testing/index.js';
import { gradientAscent } from './helpers.js';

const fixture = () => {
  const data = syntheticClassification({ n: 9, inputDim: 4, classes: 3 });
  return { model: tinyClassifier({ inputDim: 4, classes: 3 }), request: { forget: data }, dispose: () => tf.dispose([data.x, data.y]) };
};

// The suite run against a method that changes weights, and against the no-op runner check.
describeUnlearner('gradient ascent (test method)', { create: () => gradientAscent(), fixture });
describeUnlearner('noop', { create: () => noopUnlearner({ steps: 2 }), fixture, changesWeights: false });

describe('runConformance', () => {
  it('catches a method that leaks tensors and ignores the seed', async () => {
    let kept: tf.Tensor[] = [];
    let calls = 0;
    const sloppy = () => ({
      ...gradientAscent({ steps: 1 }),
      name: 'sloppy',
      async unlearn(ctx: Parameters<ReturnType<typeof gradientAscent>['unlearn']>[0]) {
        kept.push(tf.keep(tf.ones([2])));
        calls++;
        const v = ctx.model.trainable[0]!.variable;
        v.assign(tf.add(v, calls));
        ctx.progress({ phase: 'x', step: 1, total: 1 });
      },
    });
    const outcomes = await runConformance({ create: sloppy, fixture });
    const failed = outcomes.filter((o) => !o.passed).map((o) => o.name);
    expect(failed).toContain('does not leak tensors');
    expect(failed).toContain('gives identical weights for the same seed');
    expect(outcomes.find((o) => o.name === 'reports monotonic progress')!.passed).toBe(true);
    tf.dispose(kept);
    kept = [];
  });
});
