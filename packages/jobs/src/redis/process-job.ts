import { hostname } from 'node:os';
import * as tf from '@tensorflow/tfjs-core';
import { selectBackend, UnlearnError, type BackendName } from '@unlearn/core';
import { JobInputs } from '../inputs.js';
import { runJob } from '../run-job.js';
import { jobKey } from '../spec.js';
import { folderStore, type JobStore } from '../store.js';
import type { JobData, JobReturn } from './bullmq.js';

/** How a worker process runs jobs: the store's folder on this machine, and a module that registers methods. */
export interface ProcessConfig {
  store: string;
  /** Imported once before the first job (e.g. the CLI's method loading, or `@unlearn/jit`). */
  setup?: string;
  /** JSON-safe argument of the setup module's default export. */
  setupArgs?: unknown;
  threads?: number;
  worker: string;
}

let state: { store: JobStore; inputs: JobInputs; ready: Promise<void> } | undefined;

async function prepare(config: ProcessConfig): Promise<{ store: JobStore; inputs: JobInputs }> {
  if (!state || state.store.root !== folderStore(config.store).root) {
    const store = folderStore(config.store);
    state = {
      store,
      inputs: new JobInputs(store),
      ready: (async () => {
        if (config.setup) {
          const mod = (await import(config.setup)) as { default?: unknown };
          if (typeof mod.default === 'function') await (mod.default as (args: unknown) => unknown)(config.setupArgs);
        }
      })(),
    };
  }
  await state.ready;
  return state;
}

/**
 * One job in a worker (in its sandbox child, or in the worker process itself): set the job's
 * backend, check that the description still hashes to its key, run it unless its result exists.
 */
export async function processJob(data: JobData, config: ProcessConfig): Promise<JobReturn> {
  const { store, inputs } = await prepare(config);
  const { spec, key } = data;
  if ((await jobKey(spec)) !== key) {
    throw new UnlearnError('MISMATCH', `job ${key}: its description hashes to another key (sent by another version of @unlearn/jobs?)`);
  }
  if (tf.getBackend() !== spec.backend) await selectBackend({ backend: spec.backend as BackendName });
  const { ran } = await runJob(spec, store, { inputs, worker: config.worker, ...(config.threads ? { threads: config.threads } : {}) });
  return { key, ran, worker: config.worker };
}

export const defaultWorkerName = () => `${hostname()}:${process.pid}`;
