import * as tf from '@tensorflow/tfjs-core';
import { UnlearnError, type UnlearnContext } from '@unlearn/core';
import { CHECKPOINT_FORMAT, type Checkpoint, type CheckpointStore, type EpochRecord, type RunIdentity } from './checkpoint.js';
import type { RecipeOptimizer } from './optimizer.js';

/** Early-stopping's best epoch so far and a copy of its weights (every model variable). */
export interface BestWeights {
  value: number;
  epoch: number;
  tensors: tf.Tensor[];
}

/** Saves everything an exact resume needs: weights, optimizer state, best weights, history. */
export async function save(
  store: CheckpointStore,
  ctx: UnlearnContext,
  optimizer: RecipeOptimizer,
  identity: RunIdentity,
  state: { completedEpochs: number; stopped: boolean; history: EpochRecord[]; best?: BestWeights; wait: number },
): Promise<void> {
  const optState = await optimizer.state();
  try {
    const tensors: Record<string, tf.Tensor> = {};
    ctx.model.variables.forEach((v, i) => (tensors[`weight/${i}`] = v.variable));
    optState.forEach((s, i) => (tensors[`optimizer/${i}`] = s.tensor));
    state.best?.tensors.forEach((t, i) => (tensors[`best/${i}`] = t));
    await store.save({
      meta: {
        ...identity,
        format: CHECKPOINT_FORMAT,
        version: 1,
        completedEpochs: state.completedEpochs,
        stopped: state.stopped,
        history: state.history,
        earlyStopping: { best: state.best?.value ?? null, bestEpoch: state.best?.epoch ?? null, wait: state.wait },
        optimizerState: optState.map((s) => s.name),
        hasBest: state.best !== undefined,
        savedAt: new Date().toISOString(),
      },
      tensors,
    });
  } finally {
    tf.dispose(optState.map((s) => s.tensor));
  }
}

/** Puts a checkpoint's weights and optimizer state back; the caller disposes the checkpoint's tensors. */
export async function restore(ctx: UnlearnContext, optimizer: RecipeOptimizer, cp: Checkpoint): Promise<{ best?: BestWeights; wait: number }> {
  const get = (name: string) => {
    const t = cp.tensors[name];
    if (!t) throw new UnlearnError('CORRUPT_FILE', `The checkpoint has no tensor ${name} (truncated or edited?)`);
    return t;
  };
  ctx.model.variables.forEach((v, i) => v.variable.assign(get(`weight/${i}`)));
  await optimizer.restore(cp.meta.optimizerState.map((name, i) => ({ name, tensor: get(`optimizer/${i}`) })));
  const es = cp.meta.earlyStopping;
  const best =
    cp.meta.hasBest && es.best !== null && es.bestEpoch !== null
      ? { value: es.best, epoch: es.bestEpoch, tensors: ctx.model.variables.map((_, i) => tf.keep(get(`best/${i}`).clone())) }
      : undefined;
  return { best, wait: es.wait };
}
