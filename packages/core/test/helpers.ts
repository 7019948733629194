import * as tf from '@tensorflow/tfjs-core';
import { defineUnlearner, gradientsOf, sgdStep, type Unlearner } from '../src/index.js';

/**
 * A real (if crude) method for exercising the runner: a few steps of gradient ascent on the
 * forget set's cross-entropy. `failAfter` throws after that many steps, to test restoring.
 */
export function gradientAscent(opts: { steps?: number; lr?: number; failAfter?: number } = {}): Unlearner<{ steps: number; lr: number }> {
  const options = { steps: opts.steps ?? 3, lr: opts.lr ?? 0.1 };
  return defineUnlearner({
    name: 'test-ascent',
    options,
    needs: { labels: true },
    async unlearn(ctx) {
      const { x, y } = ctx.request.forget as { x: tf.Tensor; y: tf.Tensor };
      const vars = ctx.model.trainable.map((v) => v.variable);
      for (let step = 1; step <= options.steps; step++) {
        ctx.throwIfAborted();
        tf.tidy(() => {
          const { grads } = gradientsOf(() => {
            const logits = ctx.model.logits(x);
            return tf.neg(tf.losses.softmaxCrossEntropy(tf.oneHot(tf.cast(y, 'int32'), logits.shape[1]!), logits)) as tf.Scalar;
          }, vars);
          sgdStep(vars, grads, options.lr);
        });
        if (opts.failAfter !== undefined && step >= opts.failAfter) throw new Error('planned failure');
        ctx.progress({ phase: 'ascent', step, total: options.steps });
        await Promise.resolve();
      }
    },
  });
}
