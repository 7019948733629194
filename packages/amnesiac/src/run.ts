import * as tf from '@tensorflow/tfjs-core';
import type { UnlearnContext, UnlearnOutcome } from '@unlearn/core';
import {
  classCount,
  inMemory,
  labelledUnion,
  loopOptions,
  randomWrongLabels,
  recipeOf,
  retainSet,
  trainLoop,
} from '@unlearn/retrain';
import type { AmnesiacDetails } from './details.js';
import type { AmnesiacOptions } from './options.js';

/**
 * Amnesiac's whole run (docs/algorithms/amnesiac.md, The math in short): each forget example gets
 * one random wrong label, drawn once from `ctx.rng.fork('random-labels')`, then the model trains
 * on relabelled forget ∪ retain. `labels` replaces the draw (the reference-parity test injects
 * the PyTorch fixture's labels; the public factory never passes it).
 */
export async function runAmnesiac(ctx: UnlearnContext, options: AmnesiacOptions, labels?: tf.Tensor1D): Promise<UnlearnOutcome<AmnesiacDetails>> {
  const forget = inMemory('amnesiac', 'forget', ctx.request.forget);
  const retain = inMemory('amnesiac', 'retain', retainSet('amnesiac', ctx));
  const classes = classCount(ctx.model, forget);
  const wrong = labels ?? (await randomWrongLabels(forget.y!, classes, ctx.rng.fork('random-labels')));
  // Forget rows first, as the reference builds its list; the seeded shuffle then mixes them.
  const data = labelledUnion({ x: forget.x, y: wrong }, { x: retain.x, y: retain.y! });
  if (!labels) wrong.dispose();
  try {
    const train = loopOptions(options);
    const report = await trainLoop(ctx, 'amnesiac', train, { ...recipeOf(train), relabel: 'random-wrong' }, { data });
    return {
      details: {
        ...report,
        relabelled: forget.x.shape[0]!,
        retained: retain.x.shape[0]!,
        classes,
      },
    };
  } finally {
    tf.dispose([data.x, data.y]);
  }
}
