import * as tf from '@tensorflow/tfjs-core';
import { UnlearnError } from '../errors.js';
import type { Logger } from '../contract/unlearner.js';
import { BACKEND_PREFERENCE, selectBackend, type BackendName } from './select.js';
import { ensureWasmTrainingKernels, registerWasmTrainingKernels } from './wasm/index.js';

/**
 * Who chose tfjs's backend. tfjs itself cannot say: its default (the registered backend with
 * the highest priority, `cpu` when only tfjs is installed) is set with the same `setBackend`
 * call as a user's `tf.setBackend('cpu')`. So core watches the engine from the moment it is
 * imported: a `setBackend` made by anyone (tf.setBackend, selectBackend) counts as a choice,
 * one made by tfjs while it initialises its default (its `ready()` and its lazy `backend`
 * getter) does not. A backend already set before core was imported counts as chosen, since
 * core cannot know how it was set.
 *
 * The record lives on the engine object, so every copy of core in a process (ESM and CJS, two
 * versions) shares it, as they share the engine.
 */
export interface BackendChoiceRecord {
  /** The backend someone chose, or undefined while tfjs's default (or nothing) is in force. */
  chosen?: string;
  how?: 'set' | 'before-import' | 'auto';
  /** False when this tfjs's engine did not have the shape core hooks into (a future tfjs). */
  watching: boolean;
  /** Depth of tfjs's own default initialisation in progress. */
  implicit: number;
  /** The automatic pick, shared by concurrent first runs. */
  pick?: Promise<void>;
  /** Core registered the wasm training kernels once on its own; later changes by hand stand. */
  wasmKernels?: boolean;
}

interface EngineInternals {
  backendName?: string | null;
  backendInstance?: unknown;
  pendingBackendInit?: unknown;
  setBackend(name: string): Promise<boolean>;
  ready(): Promise<void>;
}

const RECORD = Symbol.for('@unlearn/core/backend-choice');

type Engine = EngineInternals & { [RECORD]?: BackendChoiceRecord };

function registerWasmKernelsOnce(record: BackendChoiceRecord): void {
  if (record.wasmKernels) return;
  record.wasmKernels = true;
  ensureWasmTrainingKernels();
}

function watch(engine: Engine): BackendChoiceRecord {
  const record: BackendChoiceRecord = { watching: false, implicit: 0 };
  Object.defineProperty(engine, RECORD, { value: record });
  if (engine.backendName) {
    record.chosen = engine.backendName;
    record.how = 'before-import';
  }
  const getter = Object.getOwnPropertyDescriptor(Object.getPrototypeOf(engine), 'backend')?.get;
  if (typeof engine.setBackend !== 'function' || typeof engine.ready !== 'function' || !getter) return record;

  const setBackend = engine.setBackend;
  const ready = engine.ready;
  const initialising = (e: EngineInternals) => e.backendInstance == null && e.pendingBackendInit == null;
  engine.setBackend = function (this: EngineInternals, name: string) {
    if (record.implicit === 0) {
      record.chosen = name;
      record.how = 'set';
    }
    // Called synchronously, as tfjs's lazy getter needs the backend set before it returns.
    return setBackend.call(this, name).then((ok) => {
      // "Register the training kernels whenever wasm is in use": tf.setBackend('wasm') alone
      // would otherwise fail on a CNN's first gradient (Conv2DBackpropFilter).
      if (ok && name === 'wasm') registerWasmKernelsOnce(record);
      return ok;
    });
  };
  engine.ready = function (this: EngineInternals) {
    if (!initialising(this)) return ready.call(this);
    record.implicit += 1;
    return ready.call(this).finally(() => {
      record.implicit -= 1;
    });
  };
  Object.defineProperty(engine, 'backend', {
    configurable: true,
    get(this: EngineInternals) {
      if (!initialising(this)) return getter.call(this);
      record.implicit += 1;
      try {
        return getter.call(this);
      } finally {
        record.implicit -= 1;
      }
    },
  });
  record.watching = true;
  return record;
}

/** The engine's choice record, watching the engine from the first call on (core calls it at import). */
export function backendChoice(): BackendChoiceRecord {
  const engine = tf.engine() as unknown as Engine;
  return engine[RECORD] ?? watch(engine);
}

/**
 * At import: start watching, and if the wasm backend's kernels are already registered (the app
 * imported tfjs-backend-wasm before core) supply its training kernels now.
 */
export function watchBackendChoice(): void {
  const record = backendChoice();
  if (tf.getKernelsForBackend('wasm').length > 0 && !record.wasmKernels) {
    record.wasmKernels = true;
    registerWasmTrainingKernels();
  }
}

/** What `unlearn()` does about the backend: see {@link UnlearnOptions.backend}. */
export type BackendMode = 'auto' | 'keep' | BackendName;

const MODES: readonly string[] = ['auto', 'keep', ...BACKEND_PREFERENCE];

const consoleLogger: Pick<Logger, 'info' | 'warn'> = {
  info: (message) => console.info(message),
  warn: (message) => console.warn(message),
};

async function pickFastest(record: BackendChoiceRecord, logger: Pick<Logger, 'info' | 'warn'>): Promise<void> {
  const before = tf.getBackend();
  try {
    const choice = await selectBackend();
    record.chosen = choice.name;
    record.how = 'auto';
    const skipped = choice.skipped.length > 0 ? `; unavailable: ${choice.skipped.map((s) => s.name).join(', ')}` : '';
    const was = before && before !== choice.name ? `, instead of tfjs's default ${before}` : '';
    logger.info(
      `unlearn: using the ${choice.name} backend, the fastest available${was}${skipped}. ` +
        `Choose one yourself (tf.setBackend or selectBackend) or pass { backend: 'keep' } to leave tfjs's choice alone.`,
    );
  } catch (error) {
    // Never fail a run over an optimisation: stay where tfjs is.
    record.chosen = tf.getBackend();
    record.how = 'auto';
    logger.warn(`unlearn: could not pick a faster backend, staying on ${record.chosen}: ${(error as Error).message}`);
  }
}

/**
 * Before a run: with `auto` (the default) and no backend chosen by anyone, activates the
 * fastest available one (`selectBackend()` order) once per process and says which through
 * `logger` (or the console when there is none); `keep` leaves tfjs as it is; a backend name
 * activates exactly that backend.
 */
export async function prepareBackend(mode: BackendMode = 'auto', logger?: Pick<Logger, 'info' | 'warn'>): Promise<void> {
  if (!MODES.includes(mode)) {
    throw new UnlearnError('INVALID_OPTION', `unlearn: option "backend" must be one of ${MODES.join(', ')} (got ${JSON.stringify(mode)})`);
  }
  if (mode === 'keep') return;
  const record = backendChoice();
  if (mode !== 'auto') {
    if (tf.getBackend() !== mode) await selectBackend({ backend: mode });
    return;
  }
  if (record.pick) return record.pick;
  // Unwatched (an engine of unknown shape), a choice cannot be told from tfjs's default: leave it.
  if (record.chosen !== undefined || !record.watching) return;
  record.pick = pickFastest(record, logger ?? consoleLogger);
  return record.pick;
}
