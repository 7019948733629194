import * as tf from '@tensorflow/tfjs-core';
import { abortError, UnlearnError } from '../errors.js';
import { ensureWasmTrainingKernels } from '../backend/wasm/index.js';
import { prepareBackend, type BackendMode } from '../backend/choice.js';
import { toModelAdapter } from '../model/adapter.js';
import type { ModelAdapter, UnlearnableModel } from '../model/types.js';
import { createRng } from '../tensor/rng.js';
import { layerChanges, type LayerChange } from '../tensor/layer-changes.js';
import type { ParameterChange } from '../tensor/weights.js';
import { diffWeights, nonFiniteVariables, restoreWeights, snapshotWeights } from '../tensor/weights.js';
import type { ForgetRequest, Logger, ProgressEvent, Unlearner, UnlearnContext } from './unlearner.js';
import { checkSeed } from './seed.js';
import { validateRequest } from './validate.js';

export const DEFAULT_SEED = 0;

export interface UnlearnOptions {
  /** Seeds every random choice of the method (noise, shuffling, initialisation): an integer from 0 to 2^32 − 1. Default 0. */
  seed?: number;
  signal?: AbortSignal;
  onProgress?: (event: ProgressEvent) => void;
  /** Change the caller's model instead of returning a changed copy. Default false. */
  inPlace?: boolean;
  logger?: Logger;
  /**
   * The tfjs backend to run on. `'auto'` (default): when nobody chose a backend (no
   * `tf.setBackend`, `selectBackend` or `backend` option before, so tfjs's default is in force,
   * `cpu` in Node), activate the fastest available one (`selectBackend()` order) once per process
   * and log which (through `logger`, or the console). `'keep'`: never change tfjs's backend. A
   * backend name: activate exactly that one, or fail with BACKEND_UNAVAILABLE.
   */
  backend?: BackendMode;
}

export interface UnlearnResult<M extends UnlearnableModel = UnlearnableModel, Options = unknown> {
  /** The unlearned model: a new model, or the caller's own when `inPlace`. */
  model: M;
  method: string;
  options: Options;
  seed: number;
  inPlace: boolean;
  /** Wall time of the unlearning step alone (validation, copying and reporting excluded). */
  timeMs: number;
  backend: string;
  tfjsVersion: string;
  /** Per-variable summary of what changed. */
  changes: ParameterChange[];
  /** The same per layer, with what changed in non-trainable state (batch-norm statistics) apart. */
  layers: LayerChange[];
  /** Method-specific details (JSON-safe). */
  details: Record<string, unknown>;
}

const silentLogger: Logger = { debug() {}, info() {}, warn() {} };

/**
 * Runs `unlearner` on `model` for one deletion request.
 *
 * The request is checked against the method's needs first. The method works on a copy unless
 * `inPlace`; if it throws, is aborted or produces non-finite weights (`DIVERGED`), the caller's model is
 * left exactly as it was and the error is rethrown.
 */
export async function unlearn<M extends UnlearnableModel, Options>(
  model: M,
  request: ForgetRequest,
  unlearner: Unlearner<Options>,
  options: UnlearnOptions = {},
): Promise<UnlearnResult<M, Options>> {
  const { signal, inPlace = false } = options;
  const seed = options.seed ?? DEFAULT_SEED;
  if (signal?.aborted) throw abortError(signal.reason);
  checkSeed(seed, unlearner.name);
  unlearner.validate?.();
  await prepareBackend(options.backend, options.logger);
  const supplied = ensureWasmTrainingKernels();
  if (supplied.length > 0) options.logger?.info(`wasm backend: registered the training kernels tfjs-backend-wasm lacks (${supplied.join(', ')})`);
  const original = toModelAdapter(model);
  await validateRequest(original, request, unlearner as Unlearner);
  if (signal?.aborted) throw abortError(signal.reason);

  // Everything that can throw comes before the copy, which is freed only on the paths below.
  const rng = createRng(seed).fork(unlearner.name);
  const work: ModelAdapter = inPlace ? original : await original.clone();
  const snapshot = inPlace ? snapshotWeights(original) : undefined;
  const controller = new AbortController();
  const onAbort = () => controller.abort(signal?.reason);
  signal?.addEventListener('abort', onAbort, { once: true });
  // An abort while the model was being copied fired before the listener existed.
  if (signal?.aborted) onAbort();

  let lastStep = 0;
  const ctx: UnlearnContext = {
    model: work,
    request,
    rng,
    signal: controller.signal,
    logger: options.logger ?? silentLogger,
    progress(event) {
      lastStep = Math.max(lastStep, event.step);
      options.onProgress?.({ ...event, step: lastStep });
    },
    throwIfAborted() {
      if (controller.signal.aborted) throw abortError(controller.signal.reason);
    },
  };

  let timeMs = 0;
  let details: Record<string, unknown> = {};
  let changes: ParameterChange[];
  try {
    const start = performance.now();
    const outcome = await unlearner.unlearn(ctx);
    timeMs = performance.now() - start;
    details = outcome?.details ?? {};
    ctx.throwIfAborted();
    const bad = await nonFiniteVariables(work);
    if (bad.length > 0) {
      throw new UnlearnError(
        'DIVERGED',
        `${unlearner.name} produced NaN or Infinity in ${bad.join(', ')}; the model was left unchanged (try a smaller learning rate)`,
      );
    }
    changes = await diffWeights(snapshot ?? original, work);
  } catch (error) {
    if (snapshot) restoreWeights(original, snapshot);
    else work.dispose();
    throw error;
  } finally {
    snapshot?.dispose();
    signal?.removeEventListener('abort', onAbort);
  }

  return {
    model: work.model as M,
    method: unlearner.name,
    options: unlearner.options,
    seed,
    inPlace,
    timeMs,
    backend: tf.getBackend(),
    tfjsVersion: tf.version_core,
    changes,
    layers: layerChanges(changes),
    details,
  };
}
