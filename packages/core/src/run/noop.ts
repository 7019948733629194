import { defineUnlearner } from '../contract/unlearner.js';
import type { Unlearner } from '../contract/unlearner.js';

export interface NoopOptions {
  /** Progress steps to emit, to exercise listeners and abort handling. */
  steps?: number;
}

/** Changes nothing; used to test runners, reports and pipelines without an algorithm's cost. */
export function noopUnlearner(options: NoopOptions = {}): Unlearner<Required<NoopOptions>> {
  const resolved = { steps: options.steps ?? 1 };
  return defineUnlearner({
    name: 'noop',
    options: resolved,
    needs: {},
    async unlearn(ctx) {
      for (let step = 1; step <= resolved.steps; step++) {
        ctx.throwIfAborted();
        ctx.progress({ phase: 'noop', step, total: resolved.steps });
        await Promise.resolve();
      }
      ctx.throwIfAborted();
      return { details: { steps: resolved.steps } };
    },
  });
}
