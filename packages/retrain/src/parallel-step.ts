import * as tf from '@tensorflow/tfjs-core';
import { crossEntropyGradients, planWorkerThreads, type ModelAdapter, type ReplicaSession } from '@unlearn/core';

export interface StepThreads {
  threads: number;
  /** Why one thread is used where more were asked for. */
  reason?: string;
  session?: ReplicaSession;
}

/** The threads a training run asked for (`threads`, the calling one included) and may use on `model`. */
export async function stepThreads(model: ModelAdapter, asked: number | undefined): Promise<StepThreads> {
  if (asked === undefined || asked === 1) return { threads: 1 };
  if (model.variables.length > model.trainable.length) {
    // Batch statistics would be updated from one share of the batch only.
    return { threads: 1, reason: 'the model has state updated in training (e.g. batch normalisation)' };
  }
  const plan = await planWorkerThreads(model, { threads: asked, rows: Infinity, autoMinRows: 0 });
  return plan.session ? { threads: plan.threads, session: plan.session() } : { threads: 1, ...(plan.reason ? { reason: plan.reason } : {}) };
}

/**
 * The mean cross-entropy gradient of a batch with its rows split between threads: the calling
 * thread takes the first ⌊n / threads⌋ rows, the workers the rest, and the shares' mean gradients
 * are combined as Σ rows·g / n. Returns the batch loss and the gradients, in `model.trainable` order.
 */
export async function splitBatchGradients(
  model: ModelAdapter,
  x: tf.Tensor,
  y: tf.Tensor,
  threads: StepThreads,
  signal?: AbortSignal,
): Promise<{ loss: tf.Scalar; grads: tf.Tensor[] }> {
  const n = x.shape[0]!;
  const localRows = Math.floor(n / threads.threads);
  if (!threads.session || localRows === 0) return crossEntropyGradients(model, x, y, true);
  const remote = tf.tidy(() => ({ x: tf.slice(x, localRows), y: tf.slice(y, localRows) }));
  const posted = await threads.session.dispatchGradients(remote.x, remote.y, { training: true, signal }).finally(() => tf.dispose([remote.x, remote.y]));
  let local: { loss: tf.Scalar; grads: tf.Tensor[] };
  try {
    local = tf.tidy(() => crossEntropyGradients(model, tf.slice(x, 0, localRows), tf.slice(y, 0, localRows), true));
  } catch (error) {
    await posted.collect().then(
      (s) => tf.dispose(s.gradSums),
      () => undefined,
    );
    throw error;
  }
  let sums: { rows: number; lossSum: number; gradSums: tf.Tensor[] };
  try {
    sums = await posted.collect();
  } catch (error) {
    tf.dispose([local.loss, ...local.grads]);
    throw error;
  }
  const total = localRows + sums.rows;
  const out = tf.tidy(() => ({
    loss: tf.div(tf.add(tf.mul(local.loss, localRows), sums.lossSum), total) as tf.Scalar,
    grads: local.grads.map((g, i) => tf.div(tf.add(tf.mul(g, localRows), sums.gradSums[i]!), total)),
  }));
  tf.dispose([local.loss, ...local.grads, ...sums.gradSums]);
  return out;
}
