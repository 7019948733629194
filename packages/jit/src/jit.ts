import * as tf from '@tensorflow/tfjs-core';
import {
  datasetSize,
  defineUnlearner,
  iterateBatches,
  planWorkerThreads,
  sgdStep,
  UnlearnError,
  type Unlearner,
} from '@unlearn/core';
import { AUTO_SIGMA_PER_STD, inputStd } from './auto-sigma.js';
import type { JitDetails } from './details.js';
import { injectedNoise, seededNoise } from './noise.js';
import { AUTO_PARALLEL_ROWS, JIT_OPTIONS, type JitOptions } from './options.js';
import { jitLossAndGradients } from './step.js';

/**
 * JiT ("Just in Time") zero-shot unlearning, Foster et al., arXiv 2402.01401: a few plain SGD
 * steps that flatten the model around each forget input by minimising a Monte-Carlo estimate
 * of its local Lipschitz constant. Needs the model and the forget inputs only; labels, if
 * present, are ignored.
 *
 * ```ts
 * const result = await unlearn(model, { forget: { x } }, jit({ preset: 'mnist-cnn' }));
 * ```
 */
export function jit(options: Partial<JitOptions> = {}): Unlearner<JitOptions, JitDetails> {
  const resolved = JIT_OPTIONS.resolve(options);
  return defineUnlearner({
    name: 'jit',
    options: resolved,
    needs: {},
    schema: JIT_OPTIONS,
    // The step size is JiT's strength. It multiplies a loss summed over the batch, so the range
    // is wide: the MNIST preset's 4.4e-5 is near its weak end, 1e-2 breaks most models.
    strength: { option: 'lr', direction: 'increasing', weakest: 1e-5, strongest: 1e-2, factor: 3, at: (lr) => jit({ ...resolved, lr }) },
    async unlearn(ctx) {
      const o = resolved;
      // A streamed forget set comes checked batch by batch from the runner.
      const forget = ctx.request.forget;
      const variables = ctx.model.trainable.map((v) => v.variable);
      if (ctx.model.logitsKind !== 'logits') {
        ctx.logger.warn('jit: the model exposes only probabilities; JiT will smooth its log-probabilities instead of its logits');
      }
      const size = datasetSize(forget);
      const total = size === undefined ? undefined : Math.ceil(size / o.batchSize) * o.epochs;
      const noise = o.noise ? injectedNoise(o.noise) : seededNoise(ctx.rng);
      const parallel = o.training
        ? { threads: 1, ...(o.threads && o.threads > 1 ? { reason: 'training mode keeps each draw in one forward' } : {}) }
        : await planWorkerThreads(ctx.model, {
            threads: o.threads,
            // A stream of unknown length is taken to be long.
            rows: size === undefined ? Infinity : size * o.nSamples * o.epochs,
            autoMinRows: AUTO_PARALLEL_ROWS,
          });
      const std = o.sigma === 'auto' ? await inputStd(forget, ctx.signal) : undefined;
      const sigma = std === undefined ? (o.sigma as number) : AUTO_SIGMA_PER_STD * std;
      const losses: number[] = [];
      let accumulated: tf.Tensor[] | undefined;
      try {
        for (let epoch = 0; epoch < o.epochs; epoch++) {
          for await (const batch of iterateBatches(forget, o.batchSize, { signal: ctx.signal })) {
            ctx.throwIfAborted();
            if (batch.x.shape[0] === 0) continue; // a stream may yield an empty batch
            const x = batch.x.dtype === 'float32' ? batch.x : tf.cast(batch.x, 'float32');
            const { loss, grads } = await jitLossAndGradients(ctx.model, x, variables, {
              sigma,
              nSamples: o.nSamples,
              chunkSize: o.chunkSize,
              training: o.training,
              noise,
              batchIndex: losses.length,
              parallel,
              signal: ctx.signal,
            }).finally(() => {
              if (x !== batch.x) x.dispose();
            });
            if (o.accumulateGradients) {
              const previous = accumulated;
              accumulated = previous ? grads.map((g, i) => tf.keep(tf.add(previous[i]!, g))) : grads;
              if (previous) tf.dispose([...previous, ...grads]);
              sgdStep(variables, accumulated, o.lr);
            } else {
              sgdStep(variables, grads, o.lr);
              tf.dispose(grads);
            }
            const value = (await loss.data())[0]!;
            loss.dispose();
            losses.push(value);
            ctx.progress({ phase: 'jit', step: losses.length, total, metrics: { loss: value, epoch: epoch + 1 } });
          }
        }
      } finally {
        if (accumulated) tf.dispose(accumulated);
      }
      if (losses.length === 0) throw new UnlearnError('EMPTY_DATASET', 'jit: the forget set yielded no batches', { split: 'forget', field: 'x' });
      return {
        details: {
          losses,
          steps: losses.length,
          epochs: o.epochs,
          sigma,
          ...(std !== undefined ? { inputStd: std } : {}),
          forwardPasses: losses.length * (o.nSamples + 1),
          threads: parallel.threads,
          ...(parallel.reason ? { threadsNote: parallel.reason } : {}),
        },
      };
    },
  });
}
