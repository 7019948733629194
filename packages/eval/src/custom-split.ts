import { invalidOption } from '@unlearn/core';
import type { Scenario } from './scenario.js';
import { defineScenario } from './scenario.js';

export interface CustomSplitOptions {
  /** Rows of the train set to forget. */
  forget: ArrayLike<number>;
  /** Rows of the train set to keep; default: every other row. Must not overlap `forget`. */
  retain?: ArrayLike<number>;
  /** Test rows scored as "forget"; default: the forget rows themselves (as in random forgetting). */
  forgetTest?: ArrayLike<number>;
  /** Test rows scored as "retain"; default: every test row not in `forgetTest`. */
  retainTest?: ArrayLike<number>;
  /** Name in reports (default `custom`). */
  name?: string;
}

/** A deletion request given as explicit row indices, checked like every other scenario. */
export function customSplit(options: CustomSplitOptions): Scenario {
  if (!options || options.forget === undefined) throw invalidOption('customSplit', 'forget', 'a list of train row indices', undefined);
  const name = options.name ?? 'custom';
  return defineScenario({
    name,
    kind: 'custom',
    params: { forget: options.forget.length, retain: options.retain?.length ?? null },
    seeded: false,
    indices(labels) {
      const everyTest = Array.from({ length: labels.test.length }, (_, i) => i);
      const forgetTest = options.forgetTest
        ? { from: 'test' as const, indices: options.forgetTest }
        : { from: 'train' as const, indices: options.forget };
      const excluded = new Set(options.forgetTest ? Array.from(options.forgetTest) : []);
      return {
        forgetTrain: options.forget,
        ...(options.retain ? { retainTrain: options.retain } : {}),
        forgetTest,
        retainTest: { from: 'test', indices: options.retainTest ?? everyTest.filter((i) => !excluded.has(i)) },
      };
    },
  });
}
