import * as tf from '@tensorflow/tfjs-core';
import { abortError, UnlearnError } from '../errors.js';
import { ensureWasmTrainingKernels } from '../backend/wasm/index.js';
import { prepareBackend, type BackendMode } from '../backend/choice.js';
import { isModelAdapter, toModelAdapter } from '../model/adapter.js';
import type { ModelAdapter, UnlearnableModel } from '../model/types.js';
import { createRng } from '../random/rng.js';
import { layerChanges, type LayerChange } from '../weights/layer-changes.js';
import { readWeights, readWeightsAgainst } from '../weights/weight-pass.js';
import type { ParameterChange } from '../weights/weights.js';
import { restoreWeights, snapshotWeights } from '../weights/weights.js';
import type { ForgetRequest, Logger, ProgressEvent, UnlearnDetails, Unlearner, UnlearnContext } from '../contract/unlearner.js';
import { checkSeed } from './seed.js';
import { checkedRequest, refuseNonFiniteWeights, validateRequestData } from './validate.js';

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

export interface UnlearnResult<M extends UnlearnableModel | ModelAdapter = UnlearnableModel, Options = unknown, Details = UnlearnDetails> {
  /** The unlearned model, of the kind given (a model, or a `ModelAdapter`): a new one, or the caller's own when `inPlace`. */
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
  /** `hashWeights` of the model before and after the run, from the reads the checks and the diff make anyway. */
  weightsSha256: { before: string; after: string };
  /**
   * Method-specific details (JSON-safe), typed by the method (e.g. `JitDetails`); `{}` when the
   * method reported none.
   */
  details: Details;
}

const silentLogger: Logger = { debug() {}, info() {}, warn() {} };

/**
 * Runs `unlearner` on `model` (a tfjs model, or a `ModelAdapter`) for one deletion request.
 *
 * The request is checked against the method's needs first. The method works on a copy unless
 * `inPlace`; if it throws, is aborted or produces non-finite weights (`DIVERGED`), the caller's model is
 * left exactly as it was and the error is rethrown. Each weight is read to the CPU once before the
 * run (its hash) and once after (finiteness, the diff and the new hash).
 */
export async function unlearn<M extends UnlearnableModel | ModelAdapter, Options, Details = UnlearnDetails>(
  model: M,
  request: ForgetRequest,
  unlearner: Unlearner<Options, Details>,
  options: UnlearnOptions = {},
): Promise<UnlearnResult<M, Options, Details>> {
  const { inPlace = false } = options;
  const seed = options.seed ?? DEFAULT_SEED;
  const original = await checkRun(model, request, unlearner as Unlearner, options, seed);
  const before = await readWeights(original);
  refuseNonFiniteWeights(unlearner.name, before.nonFinite);

  // Everything that can throw comes before the copy, which is freed only on the paths below.
  const rng = createRng(seed).fork(unlearner.name);
  const work: ModelAdapter = inPlace ? original : await original.clone();
  const snapshot = inPlace ? snapshotWeights(original) : undefined;
  // Streams are checked batch by batch as the method reads them, for every method alike.
  const run = runContext(work, checkedRequest(original, request, unlearner as Unlearner), rng, options);

  let timeMs = 0;
  let details = {} as Details;
  let changes: ParameterChange[];
  let weightsSha256: UnlearnResult['weightsSha256'];
  try {
    const start = performance.now();
    const outcome = await unlearner.unlearn(run.ctx);
    timeMs = performance.now() - start;
    details = outcome?.details ?? details;
    run.ctx.throwIfAborted();
    const after = await readWeightsAgainst(before, work);
    if (after.nonFinite.length > 0) {
      throw new UnlearnError(
        'DIVERGED',
        `${unlearner.name} produced NaN or Infinity in ${after.nonFinite.join(', ')}; the model was left unchanged (try a smaller learning rate)`,
      );
    }
    changes = after.changes;
    weightsSha256 = { before: await before.hash(), after: await after.hash() };
  } catch (error) {
    if (snapshot) restoreWeights(original, snapshot);
    else work.dispose();
    throw error;
  } finally {
    snapshot?.dispose();
    run.detach();
  }

  return {
    // The kind the caller gave: an adapter in, an adapter out.
    model: (isModelAdapter(model) ? work : work.model) as M,
    method: unlearner.name,
    options: unlearner.options,
    seed,
    inPlace,
    timeMs,
    backend: tf.getBackend(),
    tfjsVersion: tf.version_core,
    changes,
    layers: layerChanges(changes),
    weightsSha256,
    details,
  };
}

/** The checks before any weight is read: abort, seed, options, backend, then the request against the model. */
async function checkRun(
  model: UnlearnableModel | ModelAdapter,
  request: ForgetRequest,
  unlearner: Unlearner,
  options: UnlearnOptions,
  seed: number,
): Promise<ModelAdapter> {
  const { signal } = options;
  if (signal?.aborted) throw abortError(signal.reason);
  checkSeed(seed, unlearner.name);
  unlearner.validate?.();
  await prepareBackend(options.backend, options.logger);
  const supplied = ensureWasmTrainingKernels();
  if (supplied.length > 0) options.logger?.info(`wasm backend: registered the training kernels tfjs-backend-wasm lacks (${supplied.join(', ')})`);
  const original = toModelAdapter(model);
  await validateRequestData(original, request, unlearner);
  if (signal?.aborted) throw abortError(signal.reason);
  return original;
}

/**
 * The method's context, with an abort signal of its own that follows the caller's;
 * `detach` stops following it.
 */
function runContext(
  work: ModelAdapter,
  request: ForgetRequest,
  rng: UnlearnContext['rng'],
  options: UnlearnOptions,
): { ctx: UnlearnContext; detach(): void } {
  const { signal } = options;
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
  return { ctx, detach: () => signal?.removeEventListener('abort', onAbort) };
}
