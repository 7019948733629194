import * as tf from '@tensorflow/tfjs-core';
import { gradientsOf, type Batch, type ModelAdapter } from '@unlearn/core';
import type { BatchGradients } from '@unlearn/retrain';
import type { BatchCycle } from './cycle.js';

const crossEntropy = (model: ModelAdapter, batch: Batch): tf.Scalar => {
  const logits = model.logits(batch.x, { training: true });
  return tf.losses.softmaxCrossEntropy(tf.oneHot(batch.y!, logits.shape[1]!), logits) as tf.Scalar;
};

/**
 * β·CE(retain batch) − (1 − β)·CE(forget batch) + β·(λ/2)·‖θ − θ₀‖², with β = 1 − forgetWeight
 * (docs/algorithms/neggrad-plus.md, The math in short). Each retain batch the trainer hands over is
 * paired with the next batch of the forget cycle. Both forward passes run in training mode.
 */
export function negGradPlusObjective(model: ModelAdapter, forget: BatchCycle, forgetWeight: number, anchor?: { decay: number; start: tf.Tensor[] }): BatchGradients {
  const vars = model.trainable.map((v) => v.variable);
  const beta = 1 - forgetWeight;
  return async (retain) => {
    const forgetBatch = await forget.next();
    return tf.tidy(() => {
      const { value, grads } = gradientsOf(() => {
        const ascent = tf.mul(crossEntropy(model, forgetBatch), forgetWeight);
        let loss = tf.sub(tf.mul(crossEntropy(model, retain), beta), ascent);
        if (anchor && anchor.decay > 0) {
          const sq = tf.addN(vars.map((v, i) => tf.sum(tf.square(tf.sub(v, anchor.start[i]!)))));
          loss = tf.add(loss, tf.mul(sq, (beta * anchor.decay) / 2));
        }
        return loss as tf.Scalar;
      }, vars);
      return { loss: value, grads };
    });
  };
}

/** Plain NegGrad (β = 0): −CE of each forget batch, the batch the trainer hands over. */
export function negGradObjective(model: ModelAdapter): BatchGradients {
  const vars = model.trainable.map((v) => v.variable);
  return (batch) =>
    tf.tidy(() => {
      const { value, grads } = gradientsOf(() => tf.neg(crossEntropy(model, batch)) as tf.Scalar, vars);
      return { loss: value, grads };
    });
}
