import * as tf from '@tensorflow/tfjs-core';
import { gradientsOf, isBatchSource, requiredRetain, shuffledIndices, UnlearnError, type ModelAdapter, type Rng, type TensorDataset, type UnlearnContext } from '@unlearn/core';
import { distillationLoss, loopOptions, reinitialize, softTargets, trainLoop, type BatchGradients, type TrainReport } from '@unlearn/retrain';
import type { BadTeacherOptions } from './options.js';

/**
 * The run's random draws, injectable so that a reference implementation elsewhere (the PyTorch
 * golden test) can reproduce a run exactly; the public `badTeacher()` never passes them.
 */
export interface BadTeacherDraws {
  /** Sets the incompetent teacher's weights (default: a seeded re-initialisation of every weight). */
  incompetent?: (teacher: ModelAdapter) => void | Promise<void>;
  /** Rows of the retain set the competent teacher supervises, in this order (default: a seeded sample). */
  retainRows?: readonly number[];
}

export interface BadTeacherRun {
  train: TrainReport;
  forgetExamples: number;
  retainExamples: number;
  retainSize: number;
  /** Variables of the incompetent teacher that were re-drawn (null when its weights were injected). */
  reinitialized: number | null;
}

/** ⌊fraction · n⌋ distinct rows drawn without replacement, as Python's random.sample (in draw order). */
export function retainSubset(n: number, fraction: number, rng: Rng): number[] {
  return Array.from(shuffledIndices(n, rng).subarray(0, Math.floor(fraction * n)));
}

function inMemory(ctx: UnlearnContext): { forget: TensorDataset; retain: TensorDataset } {
  const { forget } = ctx.request;
  const retain = requiredRetain(ctx.request, 'bad-teacher', 'for the competent teacher to supervise');
  if (isBatchSource(forget) || isBatchSource(retain)) {
    throw new UnlearnError(
      'UNSUPPORTED_REQUEST',
      'bad-teacher needs the forget and retain sets in memory ({ x } tensors): it samples a fraction of the retain set and mixes it with the forget set; give tensors instead of a batch stream',
    );
  }
  return { forget, retain };
}

/**
 * Bad Teacher (docs/algorithms/bad-teacher.md, The math in short): the student (ctx.model) is
 * distilled, for `epochs` passes over Df ∪ (a random `retainFraction` of Dr), towards the
 * incompetent teacher's softmax(z/T) on forget examples and the competent (original) teacher's on
 * retain examples, minimising KL(teacher ‖ student) averaged over batch × classes (the
 * reference's kl_div default reduction, no T² factor). Both teachers are frozen copies run in
 * inference mode; their targets are computed per batch, as in the reference.
 */
export async function runBadTeacher(ctx: UnlearnContext, options: BadTeacherOptions, draws: BadTeacherDraws = {}): Promise<BadTeacherRun> {
  const { forget, retain } = inMemory(ctx);
  const retainSize = retain.x.shape[0]!;
  const rows = draws.retainRows ?? retainSubset(retainSize, options.retainFraction, ctx.rng.fork('retain-subset'));
  if (rows.length === 0) ctx.logger.warn(`bad-teacher: retainFraction ${options.retainFraction} of ${retainSize} retain examples selects none; only the forget set is distilled`);
  const forgetSize = forget.x.shape[0]!;

  const competent = await ctx.model.clone();
  let incompetent: ModelAdapter | undefined;
  let data: { x: tf.Tensor; y: tf.Tensor } | undefined;
  try {
    incompetent = await ctx.model.clone();
    let reinitialized: number | null = null;
    if (draws.incompetent) {
      await draws.incompetent(incompetent);
    } else {
      const names = await reinitialize(incompetent, {
        reinit: 'all',
        seed: ctx.rng.fork('incompetent-teacher').uint32(),
        init: options.init,
        warn: (m) => ctx.logger.warn(`bad-teacher: incompetent teacher: ${m}`),
      });
      reinitialized = names.length;
    }
    ctx.throwIfAborted();

    // y marks the split (1 = forget, 0 = retain), as the reference's UnLearningData labels do.
    data = tf.tidy(() => {
      const subset = tf.gather(retain.x, tf.tensor1d(rows as number[], 'int32'));
      return {
        x: tf.concat([forget.x, subset], 0),
        y: tf.concat([tf.ones([forgetSize], 'int32'), tf.zeros([rows.length], 'int32')], 0),
      };
    });
    const T = options.temperature;
    const vars = ctx.model.trainable.map((v) => v.variable);
    const teachers = { competent, incompetent };
    const gradients: BatchGradients = (batch) =>
      tf.tidy(() => {
        const isForget = tf.expandDims(tf.cast(batch.y!, 'float32'), 1);
        const bad = softTargets(teachers.incompetent.logits(batch.x, { training: false }), T);
        const good = softTargets(teachers.competent.logits(batch.x, { training: false }), T);
        const targets = tf.add(tf.mul(isForget, bad), tf.mul(tf.sub(1, isForget), good));
        const { value, grads } = gradientsOf(
          () => distillationLoss(ctx.model.logits(batch.x, { training: true }), targets, { temperature: T, reduction: 'mean', scaleByTemperatureSquared: false }),
          vars,
        );
        return { loss: value, grads };
      });
    const { epochs, batchSize, optimizer, learningRate, momentum, weightDecay, temperature, retainFraction, shuffle } = options;
    const recipe = { epochs, batchSize, optimizer, learningRate, momentum, weightDecay, temperature, retainFraction, shuffle };
    const train = await trainLoop(ctx, 'bad-teacher', loopOptions(options), recipe, { data, gradients });
    return { train, forgetExamples: forgetSize, retainExamples: rows.length, retainSize, reinitialized };
  } finally {
    competent.dispose();
    incompetent?.dispose();
    if (data) tf.dispose([data.x, data.y]);
  }
}
