import type * as tf from '@tensorflow/tfjs-core';
import { UnlearnError } from '@unlearn/core';

export const CHECKPOINT_FORMAT = 'unlearn-retrain-checkpoint';

/** One finished epoch, as kept in checkpoints and reported in the run's details. */
export interface EpochRecord {
  epoch: number;
  loss: number;
  /** Learning rate of the epoch's last batch. */
  lr: number;
  valLoss?: number;
  valAccuracy?: number;
}

/** What a training run must agree on to continue another run's checkpoint. */
export interface RunIdentity {
  method: string;
  /** Seed of the run's generator (shuffling is derived from it and the epoch number). */
  seed: number;
  recipe: Record<string, unknown>;
  variables: { name: string; shape: number[] }[];
  /** SHA-256 of the weights training started from (after re-initialisation). */
  startHash: string;
  /** Retain-set size, when known. */
  dataSize: number | null;
  /** core's hashDataset of the retain set: a checkpoint resumes only on the very data it was trained on. */
  dataHash: string;
}

export interface CheckpointMeta extends RunIdentity {
  format: typeof CHECKPOINT_FORMAT;
  version: 1;
  completedEpochs: number;
  /** Early stopping ended the run at completedEpochs. */
  stopped: boolean;
  history: EpochRecord[];
  earlyStopping: { best: number | null; bestEpoch: number | null; wait: number };
  optimizerState: string[];
  hasBest: boolean;
  savedAt: string;
}

/** Tensors are named `weight/<i>` (model variables), `optimizer/<i>` and `best/<i>`. */
export interface Checkpoint {
  meta: CheckpointMeta;
  tensors: Record<string, tf.Tensor>;
}

/**
 * Where checkpoints live. `save` must replace the previous checkpoint atomically (never leave a
 * half-written one); `load` returns undefined when there is none yet. `@unlearn/retrain/node`
 * provides a folder-backed store; browsers can back one with IndexedDB.
 */
export interface CheckpointStore {
  /** For messages, e.g. the folder path. */
  readonly location: string;
  load(): Promise<Checkpoint | undefined>;
  /** Whether a checkpoint is there, without loading it (used to warn before replacing one). */
  exists?(): Promise<boolean>;
  /**
   * Repairs what a save killed half way left behind (e.g. the previous checkpoint moved aside
   * between two renames), before anything is loaded. Returns one sentence per repair, which the
   * run logs.
   */
  recover?(): Promise<string[]>;
  save(checkpoint: Checkpoint): Promise<void>;
}

/** Throws MISMATCH when `meta` was written by a run that a resume here would not continue. */
export function checkResumable(meta: CheckpointMeta, here: RunIdentity, location: string): void {
  const refuse = (why: string) =>
    new UnlearnError('MISMATCH', `The checkpoint in ${location} cannot be resumed by this run: ${why}. Use another checkpointDir, or resume: false to start over`);
  if (meta?.format !== CHECKPOINT_FORMAT || meta.version !== 1) {
    throw new UnlearnError('CORRUPT_FILE', `${location} does not hold a retrain checkpoint (format ${JSON.stringify(meta?.format)})`);
  }
  if (meta.variables.length !== here.variables.length) {
    throw refuse(`it is from another model (${meta.variables.length} variables there, ${here.variables.length} here)`);
  }
  here.variables.forEach((v, i) => {
    const there = meta.variables[i]!;
    // Shapes only: tfjs numbers layers per process ('dense_Dense3') and suffixes clones ('kernel_1'),
    // so the same architecture carries other names in another run. The start hash covers the rest.
    if (there.shape.join('x') !== v.shape.join('x')) {
      throw refuse(
        `it is from another model (variable ${i} is ${there.name} [${there.shape.join(', ')}] there, ${v.name} [${v.shape.join(', ')}] here)`,
      );
    }
  });
  if (meta.method !== here.method) throw refuse(`it was written by ${meta.method}, not ${here.method}`);
  if (meta.seed !== here.seed) throw refuse(`it was made with another seed (run seed ${meta.seed} there, ${here.seed} here)`);
  const a = JSON.stringify(meta.recipe);
  const b = JSON.stringify(here.recipe);
  if (a !== b) {
    const keys = Object.keys(here.recipe).filter((k) => JSON.stringify(meta.recipe[k]) !== JSON.stringify(here.recipe[k]));
    throw refuse(`it was made with another recipe (${keys.map((k) => `${k}: ${JSON.stringify(meta.recipe[k])} there, ${JSON.stringify(here.recipe[k])} here`).join('; ')})`);
  }
  if (meta.dataSize !== here.dataSize) throw refuse(`it was trained on ${meta.dataSize} retain samples, this run has ${here.dataSize}`);
  if (meta.dataHash !== here.dataHash) {
    throw refuse(
      meta.dataHash === undefined
        ? 'it does not record which retain data it was trained on (written by an older version)'
        : `it was trained on other retain data (SHA-256 ${meta.dataHash.slice(0, 16)}… there, ${here.dataHash.slice(0, 16)}… here)`,
    );
  }
  if (meta.startHash !== here.startHash) throw refuse('training started from different weights (another model, or another seed for the re-initialisation)');
}
