import * as tf from '@tensorflow/tfjs-core';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import type { TensorDataset } from '../data/dataset.js';
import type { ModelAdapter } from '../model/types.js';
import type { GradientReduction, ImportanceObjective } from '../gradients/importance.js';
import type { ProgressEvent } from '../contract/unlearner.js';

/** Backends a worker thread can start on its own; native and GPU backends parallelise internally. */
export const WORKER_BACKENDS: ReadonlySet<string> = new Set(['wasm', 'cpu']);

export function isNodeRuntime(): boolean {
  const p = (globalThis as { process?: { versions?: { node?: string } } }).process;
  return typeof p?.versions?.node === 'string';
}

/** Why `model` cannot be computed on worker threads here, or undefined when it can. */
export function whyNoWorkers(model: ModelAdapter): string | undefined {
  if (!isNodeRuntime()) return 'worker threads need Node';
  if (model.kind !== 'layers') return 'function models cannot be sent to worker threads';
  const backend = tf.getBackend();
  if (!WORKER_BACKENDS.has(backend)) return `the ${backend} backend is not started in worker threads`;
  return undefined;
}

/** How a forward pass runs, on whichever thread. */
export interface ForwardCallOptions {
  output: 'logits' | 'probabilities';
  training?: boolean;
  /** Rows per forward pass at most, on every thread. */
  chunkRows: number;
  signal?: AbortSignal;
}

/** How an importance pass (`accumulateImportance` with a named objective) runs, on whichever thread. */
export interface ImportanceCallOptions {
  objective: ImportanceObjective;
  reduce: GradientReduction;
  batchSize: number;
  signal?: AbortSignal;
  /** After each batch, wherever it was computed: `{ phase: 'importance', step: batches done so far, total: batches in all }`. */
  onProgress?: (event: ProgressEvent) => void;
}

/** What `@unlearn/core/node` offers the browser-safe entry for work on several threads. */
export interface NodeParallelHelpers {
  defaultThreadCount(): number;
  parallelForward(model: LayersModel, x: tf.Tensor, options: ForwardCallOptions & { threads: number; localRows?: number }): Promise<tf.Tensor>;
  parallelImportance(model: LayersModel, data: TensorDataset, options: ImportanceCallOptions & { threads: number }): Promise<tf.Tensor[]>;
  openReplicaSession(model: LayersModel, workers: number): ReplicaSession;
  canReplicate(model: LayersModel): boolean;
}

/** Forward passes posted to worker threads, whose outputs `collect` waits for. */
export interface DispatchedForward {
  /** The outputs of every dispatched row, in row order; call once. */
  collect(): Promise<tf.Tensor>;
}

/** Σ rows·loss and Σ rows·gradient over the dispatched shares. */
export interface GradientSums {
  rows: number;
  lossSum: number;
  /** One per trainable variable, in the model's order. */
  gradSums: tf.Tensor[];
}

export interface DispatchedGradients {
  /** Call once. */
  collect(): Promise<GradientSums>;
}

/** Σ batches·mean importance over the dispatched shares. */
export interface ImportanceSums {
  batches: number;
  /** One per trainable variable, in the model's order. */
  sums: tf.Tensor[];
}

export interface DispatchedImportance {
  /** Call once. */
  collect(): Promise<ImportanceSums>;
}

/**
 * A set of worker threads, each holding a replica of one model, that take forward passes and
 * gradient shares until `close`. Several dispatches may be out at once: a worker runs its tasks
 * in the order posted.
 */
export interface ReplicaSession {
  /** The number of worker threads. */
  readonly workers: number;
  /**
   * Posts the rows of `x`, split between the workers, with the model's current weights, and
   * resolves once they are on their way, so that the calling thread can work meanwhile. `x` may
   * be disposed as soon as this resolves. A worker that cannot run the model (say, a custom
   * layer it does not know) has its rows computed by `collect` on the calling thread instead.
   */
  dispatch(x: tf.Tensor, o: ForwardCallOptions): Promise<DispatchedForward>;
  /**
   * Posts the rows of a labelled batch (`y`: class indices), split between the workers, for the
   * mean softmax cross-entropy and its gradient (`crossEntropyGradients`) on each share; `collect`
   * gives their row-weighted sums, for the caller to add its own share to and divide by the rows.
   */
  dispatchGradients(x: tf.Tensor, y: tf.Tensor, o: { training?: boolean; signal?: AbortSignal }): Promise<DispatchedGradients>;
  /**
   * Posts the rows of `x` (and the class indices `y`, for objectives with labels), split between
   * the workers in shares of whole batches, for the mean importance over each share's batches;
   * `collect` gives their batch-weighted sums, for the caller to add its own share to and divide
   * by the batches. `onBatch` is called once per batch done, wherever it was computed (an internal
   * tick; `parallelImportance` turns it into `onProgress` events).
   */
  dispatchImportance(
    x: tf.Tensor,
    y: tf.Tensor | undefined,
    o: Omit<ImportanceCallOptions, 'onProgress'> & { onBatch?: () => void },
  ): Promise<DispatchedImportance>;
  /**
   * Times a worker of this session built its replica of the model: at most once per worker,
   * however many tasks it takes (a worker that already held the model from an earlier session
   * builds none).
   */
  readonly modelLoads: number;
  /** Returns the workers to the pool; call once every dispatch has been collected. */
  close(): void;
}

const loaded = new Map<string, Promise<unknown>>();

/**
 * Imports a Node-only entry point from browser-safe code, or undefined where it cannot be
 * loaded. The specifier arrives as a variable, which keeps bundlers from following it into
 * node:worker_threads.
 */
export function loadNodeEntry<T>(specifier: string): Promise<T | undefined> {
  let p = loaded.get(specifier);
  if (!p) {
    p = import(/* @vite-ignore */ specifier).then(
      (m: unknown) => m,
      () => undefined,
    );
    loaded.set(specifier, p);
  }
  return p as Promise<T | undefined>;
}

const CORE_NODE = '@unlearn/core/node';

export interface ThreadPlan {
  /** Threads that share the work, the calling one included. */
  threads: number;
  /** Why fewer threads than asked for are used, when that is the case. */
  reason?: string;
  /** Set when threads > 1: the outputs on every row of `x`, rows split between all the threads. */
  forward?: (x: tf.Tensor, options: ForwardCallOptions & { localRows?: number }) => Promise<tf.Tensor>;
  /** Set when threads > 1: the importance over `data`, its batches split between all the threads. */
  importance?: (data: TensorDataset, options: ImportanceCallOptions) => Promise<tf.Tensor[]>;
  /** Set when threads > 1: takes `threads - 1` worker threads for dispatches of one's own. */
  session?: () => ReplicaSession;
}

/**
 * How many threads to use for work on `model` over `rows` rows (forward passes, gradients, or the
 * batches of an importance pass, with `unit: 'batch'`), and the means to use them. `threads`
 * counts the calling thread; undefined means automatic: every core (at most 4) when `rows` (or
 * `autoCount`) reaches `autoMinRows`, else one.
 */
export async function planWorkerThreads(
  model: ModelAdapter,
  options: {
    threads?: number;
    rows: number;
    autoMinRows: number;
    unit?: string;
    /** What `autoMinRows` counts, when not `rows`: say, samples while the work is shared out in batches. */
    autoCount?: { count: number; unit: string };
  },
): Promise<ThreadPlan> {
  const unit = options.unit ?? 'row';
  const asked = options.threads;
  if (asked === 1) return { threads: 1 };
  const one = (reason: string): ThreadPlan => ({ threads: 1, reason });
  const why = whyNoWorkers(model);
  if (why) return one(why);
  const auto = options.autoCount ?? { count: options.rows, unit };
  if (asked === undefined && auto.count < options.autoMinRows) return one(`fewer than ${options.autoMinRows} ${auto.unit}s`);
  const helpers = await loadNodeEntry<NodeParallelHelpers>(CORE_NODE);
  if (!helpers) return one(`${CORE_NODE} could not be loaded`);
  const threads = Math.min(asked ?? helpers.defaultThreadCount(), options.rows);
  if (threads <= 1) return one(asked === undefined ? 'one core' : `a single ${unit}`);
  const layers = model.model as LayersModel;
  if (!helpers.canReplicate(layers)) return one('a worker thread could not rebuild the model (a custom layer registered only on this thread?)');
  return {
    threads,
    forward: (x, o) => helpers.parallelForward(layers, x, { ...o, threads }),
    importance: (data, o) => helpers.parallelImportance(layers, data, { ...o, threads }),
    session: () => helpers.openReplicaSession(layers, threads - 1),
  };
}
