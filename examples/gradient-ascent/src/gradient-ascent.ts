import * as tf from '@tensorflow/tfjs-core';
import { datasetSize, defineUnlearner, gradientsOf, iterateBatches, sgdStep, type ModelAdapter, type Unlearner } from '@unlearn/core';
import type { GradientAscentDetails } from './details.js';
import { GRADIENT_ASCENT_OPTIONS, type GradientAscentOptions } from './options.js';

/** Mean cross-entropy of a batch; log-softmax also accepts log-probabilities, so either output kind works. */
function crossEntropy(model: ModelAdapter, x: tf.Tensor, y: tf.Tensor1D): tf.Scalar {
  const logits = model.logits(x, { training: false });
  const classes = logits.shape[1]!;
  const picked = tf.sum(tf.mul(tf.oneHot(y, classes), tf.logSoftmax(logits)), 1);
  return tf.neg(tf.mean(picked)) as tf.Scalar;
}

/**
 * Gradient ascent on the forget set's cross-entropy: the simplest unlearning baseline, and
 * a worked example of a third-party method. Needs labels on the forget set and nothing else.
 */
export function gradientAscent(options: Partial<GradientAscentOptions> = {}): Unlearner<GradientAscentOptions, GradientAscentDetails> {
  const o = GRADIENT_ASCENT_OPTIONS.resolve(options);
  return defineUnlearner({
    name: 'gradient-ascent',
    options: o,
    needs: { labels: true },
    schema: GRADIENT_ASCENT_OPTIONS,
    // Auto mode searches this: more passes forget more (until maxLoss stops the ascent), and a run
    // with more epochs starts with the same steps as one with fewer (same seed, same shuffles).
    strength: {
      option: 'epochs',
      direction: 'increasing',
      weakest: 1,
      strongest: 16,
      integer: true,
      at: (epochs) => gradientAscent({ ...o, epochs }),
    },
    async unlearn(ctx) {
      const { forget } = ctx.request;
      const variables = ctx.model.trainable.map((v) => v.variable);
      const size = datasetSize(forget);
      const total = size === undefined ? undefined : Math.ceil(size / o.batchSize) * o.epochs;
      const losses: number[] = [];
      let stoppedEarly = false;
      for (let epoch = 0; epoch < o.epochs && !stoppedEarly; epoch++) {
        for await (const { x, y } of iterateBatches(forget, o.batchSize, { shuffle: ctx.rng, signal: ctx.signal })) {
          ctx.throwIfAborted();
          const { value, grads } = gradientsOf(() => crossEntropy(ctx.model, x, y!), variables);
          // A negative rate turns sgdStep's descent into ascent.
          sgdStep(variables, grads, -o.lr);
          tf.dispose(grads);
          const loss = (await value.data())[0]!;
          value.dispose();
          losses.push(loss);
          ctx.progress({ phase: 'ascent', step: losses.length, total, metrics: { loss } });
          if (loss > o.maxLoss) {
            stoppedEarly = true;
            break;
          }
        }
      }
      return { details: { steps: losses.length, losses, stoppedEarly } };
    },
  });
}
