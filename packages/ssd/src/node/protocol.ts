import type * as tf from '@tensorflow/tfjs-core';
import type { ImportanceKind } from '../importance.js';

/** One contiguous share of batches, with everything a fresh thread needs to compute it. */
export interface WorkerTask {
  id: number;
  backend: string;
  kind: ImportanceKind;
  batchSize: number;
  artifacts: tf.io.ModelArtifacts;
  x: Float32Array;
  xShape: number[];
  y?: Int32Array;
}

export type WorkerReply =
  | { type: 'batch'; id: number }
  | { type: 'done'; id: number; means: Float32Array[]; batches: number }
  | { type: 'error'; id: number; message: string; code?: string };
