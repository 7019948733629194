import type * as tf from '@tensorflow/tfjs-core';

export type ForwardOutput = 'logits' | 'probabilities';

/** One share of rows to push through the worker's replica of a model. */
export interface ForwardTask {
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
  output: ForwardOutput;
  training: boolean;
  /** Rows per forward pass at most. */
  chunkRows: number;
}

export type ForwardReply =
  | { type: 'done'; id: number; values: Float32Array; shape: number[] }
  | { type: 'error'; id: number; message: string; code?: string };
