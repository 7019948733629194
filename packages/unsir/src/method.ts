import * as tf from '@tensorflow/tfjs-core';
import { defineUnlearner, gaussianNoise, type ProgressEvent, type Unlearner, type UnlearnContext, type UnlearnOutcome } from '@unlearn/core';
import { recipeOf, retainSet, trainLoop, type TrainOptions, type TrainReport } from '@unlearn/retrain';
import { forgottenClasses, gatherRows, readLabels, sampleRows } from './classes.js';
import type { UnsirDetails } from './details.js';
import { impairData, type ClassNoise } from './impair-data.js';
import { learnNoise } from './noise.js';
import { UNSIR_OPTIONS, type UnsirOptions } from './options.js';

const METHOD = 'unsir';

/**
 * The random draws of a run, injectable so a reference implementation can replay them (the
 * golden test). Without them the run draws both from its seeded generator.
 */
export interface UnsirDraws {
  /** The starting noise of class `cls`, shape [noiseBatch, ...inputShape]; the run disposes it. */
  initialNoise?: (cls: number, shape: number[]) => tf.Tensor;
  /** Rows of the retain set to keep as the retain sample (any order). */
  retainRows?: number[];
}

function trainOptions(o: UnsirOptions, phase: 'impair' | 'repair'): TrainOptions {
  return {
    epochs: phase === 'impair' ? o.impairEpochs : o.repairEpochs,
    batchSize: phase === 'impair' ? o.impairBatchSize : o.repairBatchSize,
    optimizer: 'adam',
    learningRate: phase === 'impair' ? o.impairLearningRate : o.repairLearningRate,
    momentum: 0,
    weightDecay: 0,
    schedule: { kind: 'constant' },
    shuffle: o.shuffle,
    monitor: 'loss',
    restoreBest: false,
    checkEvery: o.checkEvery,
    resume: false,
    threads: 1,
  };
}

/** The run's context for one phase: its own generator, and progress counted across phases. */
function phaseContext(ctx: UnlearnContext, phase: string, offset: number, total: number): UnlearnContext {
  return {
    ...ctx,
    rng: ctx.rng.fork(phase),
    progress: (e: ProgressEvent) => ctx.progress({ ...e, phase, step: offset + e.step, total }),
  };
}

/** `unsir` with injectable draws; the package entry exports `unsir` only. */
export function createUnsir(options: Partial<UnsirOptions> = {}, draws: UnsirDraws = {}): Unlearner<UnsirOptions, UnsirDetails> {
  const resolved = UNSIR_OPTIONS.resolve(options);
  return defineUnlearner({
    name: METHOD,
    options: resolved,
    needs: { labels: true, retain: true },
    schema: UNSIR_OPTIONS,
    // A larger impair step damages the forgotten classes more (and the kept ones, until repair).
    strength: {
      option: 'impairLearningRate',
      direction: 'increasing',
      weakest: 1e-5,
      strongest: 0.03,
      factor: 3,
      at: (impairLearningRate) => createUnsir({ ...resolved, impairLearningRate }, draws),
    },
    unlearn: (ctx) => run(ctx, resolved, draws),
  });
}

async function run(ctx: UnlearnContext, o: UnsirOptions, draws: UnsirDraws): Promise<UnlearnOutcome<UnsirDetails>> {
  const retain = retainSet(METHOD, ctx);
  // Everything that can refuse the request comes before the first weight change.
  const forgetLabels = await readLabels(ctx.request.forget, ctx.signal);
  const retainLabels = await readLabels(retain, ctx.signal);
  const classes = forgottenClasses(forgetLabels.labels, retainLabels.labels);
  const rows = draws.retainRows ? [...draws.retainRows].sort((a, b) => a - b) : sampleRows(retainLabels.labels, o.retainPerClass, ctx.rng.fork('retain-sample'));
  const sample = await gatherRows(retain, rows, ctx.signal);
  const noises: ClassNoise[] = [];
  let impair: ReturnType<typeof impairData> | undefined;
  try {
    const noiseShape = [o.noiseBatch, ...forgetLabels.inputShape];
    const impairSize = classes.length * o.noiseBatch * o.noiseCopies + rows.length;
    const noiseTotal = classes.length * o.noiseSteps;
    const impairTotal = Math.ceil(impairSize / o.impairBatchSize) * o.impairEpochs;
    const total = noiseTotal + impairTotal + Math.ceil(rows.length / o.repairBatchSize) * o.repairEpochs;

    const noiseReport: { class: number; lossBefore: number; lossAfter: number }[] = [];
    for (const [k, cls] of classes.entries()) {
      ctx.throwIfAborted();
      const init = draws.initialNoise?.(cls, noiseShape) ?? gaussianNoise(noiseShape, ctx.rng.fork(`noise/class-${cls}`));
      try {
        const learned = await learnNoise(ctx.model, cls, init, {
          steps: o.noiseSteps,
          learningRate: o.noiseLearningRate,
          regularization: o.noiseRegularization,
          onStep: (step, loss) => {
            ctx.progress({ phase: 'noise', step: k * o.noiseSteps + step + 1, total, metrics: { class: cls, loss } });
            ctx.throwIfAborted();
          },
        });
        noises.push({ cls, x: learned.noise });
        noiseReport.push({ class: cls, lossBefore: learned.first, lossAfter: learned.last });
      } finally {
        init.dispose();
      }
    }

    impair = impairData(noises, o.noiseCopies, sample, o.shuffle ? ctx.rng.fork('impair-order') : undefined);
    const impairOptions = trainOptions(o, 'impair');
    const impairReport: TrainReport = await trainLoop(phaseContext(ctx, 'impair', noiseTotal, total), METHOD, impairOptions, recipeOf(impairOptions), { data: impair.source });
    const repairOptions = trainOptions(o, 'repair');
    const repairReport: TrainReport = await trainLoop(phaseContext(ctx, 'repair', noiseTotal + impairTotal, total), METHOD, repairOptions, recipeOf(repairOptions), {
      data: sample,
    });
    return {
      details: {
        forgottenClasses: classes,
        retainSample: rows.length,
        impairRows: impair.size,
        noise: noiseReport,
        impair: impairReport,
        repair: repairReport,
      },
    };
  } finally {
    impair?.dispose();
    tf.dispose([sample.x, sample.y, ...noises.map((n) => n.x)]);
  }
}
