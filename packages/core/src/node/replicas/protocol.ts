import type * as tf from '@tensorflow/tfjs-core';
import type { UnlearnErrorLocation } from '../../errors.js';
import type { GradientReduction, ImportanceObjective } from '../../gradients/importance.js';

export type ForwardOutput = 'logits' | 'probabilities';

/** What every task carries so that the worker's replica matches the calling thread's model. */
interface ReplicaTask {
  id: number;
  backend: string;
  /** Names the model; a worker that already holds it gets only `weights`. */
  modelKey: number;
  /** Topology and weights, sent the first time a worker meets `modelKey`. */
  artifacts?: tf.io.ModelArtifacts;
  /** Current values of every model weight, in `model.weights` order. */
  weights: Float32Array[];
  x: Float32Array;
  xShape: number[];
}

/** One share of rows to push through the replica. */
export interface ForwardTask extends ReplicaTask {
  kind: 'forward';
  output: ForwardOutput;
  training: boolean;
  /** Rows per forward pass at most. */
  chunkRows: number;
}

/** The mean softmax cross-entropy of one share of a batch, and its gradient for every trainable variable. */
export interface GradientTask extends ReplicaTask {
  kind: 'gradients';
  /** Class indices. */
  y: Int32Array;
  training: boolean;
}

/** The mean importance over one share of whole batches (`accumulateImportance`), with a note per batch done. */
export interface ImportanceTask extends ReplicaTask {
  kind: 'importance';
  objective: ImportanceObjective;
  reduce: GradientReduction;
  batchSize: number;
  /** Class indices, for objectives that need labels. */
  y?: Int32Array;
}

export type ReplicaTaskMessage = ForwardTask | GradientTask | ImportanceTask;

/** `loaded`: the worker built its replica of the model for this task (it keeps it for the next ones). */
export type ReplicaReply =
  | { type: 'forward'; id: number; loaded: boolean; values: Float32Array; shape: number[] }
  | { type: 'gradients'; id: number; loaded: boolean; loss: number; grads: Float32Array[] }
  | { type: 'importance'; id: number; loaded: boolean; means: Float32Array[]; batches: number }
  | { type: 'batch'; id: number }
  /** `code` and the location: an UnlearnError; `replica`: the worker could not start its backend or build the model. */
  | ({ type: 'error'; id: number; message: string; code?: string; replica?: boolean } & UnlearnErrorLocation);

/** The reply a task of kind K gets when it succeeds. */
export type ReplyTo<K extends ReplicaTaskMessage['kind']> = Extract<ReplicaReply, { type: K }>;
