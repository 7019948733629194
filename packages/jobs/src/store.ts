import { createHash } from 'node:crypto';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { isLayersModel, isUnlearnError, toModelAdapter, UnlearnError } from '@unlearn/core';
import type { ModelAdapter, UnlearnableModel } from '@unlearn/core';
import { loadModel, loadTensors, saveModel, saveTensors } from '@unlearn/core/node';
import type { EvalData, LabelledData } from '@unlearn/eval';
import { contentNames, defaultStoreLog, privateSibling, publish, putOnce, removeDeadParts, type StoreLog } from './content-dir.js';
import { decodeResult, encodeResult, type JobResult } from './result.js';

const RESULT_FILE = 'result.json';
const MODEL_DIR = 'model';

/**
 * The shared folder every machine mounts: trained models and data sets under the hash of their
 * bytes, and each job's result under its key. Redis carries only job descriptions and keys;
 * everything heavy travels through here (see docs/guide/several-machines.md for why).
 *
 * ```text
 * models/<sha256>/   model.json + weights.bin
 * data/<sha256>/     manifest.json + tensors.bin (x and y)
 * results/<key>/     result.json (+ model/ for a retrained reference)
 * ```
 */
export interface JobStore {
  readonly root: string;
  putModel(model: UnlearnableModel | ModelAdapter): Promise<string>;
  loadModel(hash: string): Promise<ModelAdapter>;
  putData(data: LabelledData): Promise<string>;
  loadData(hash: string): Promise<LabelledData>;
  /** A finished result, or undefined (a result folder is only ever visible complete). */
  readResult(key: string): Promise<JobResult | undefined>;
  /** Publishes a result (and a model for jobs that produce one); a duplicate leaves the first. */
  writeResult(result: JobResult, model?: UnlearnableModel): Promise<boolean>;
  loadResultModel(key: string): Promise<ModelAdapter>;
  /** Keys of every finished result. */
  resultKeys(): Promise<string[]>;
}

async function sha256OfFiles(files: string[]): Promise<string> {
  const hash = createHash('sha256');
  for (const f of files) hash.update(await readFile(f));
  return hash.digest('hex');
}

export interface FolderStoreOptions {
  /** Where the store reports what it cleaned up (default: console.warn, i.e. the worker's log). */
  log?: StoreLog;
}

export function folderStore(dir: string, options: FolderStoreOptions = {}): JobStore {
  const log = options.log ?? defaultStoreLog;
  const root = resolve(dir);
  const models = join(root, 'models');
  const data = join(root, 'data');
  const results = join(root, 'results');
  const checkName = (what: string, name: string) => {
    if (!/^[0-9a-f]{64}$/.test(name)) throw new UnlearnError('INVALID_OPTION', `jobs: ${what} "${name}" is not a SHA-256 hex digest`);
  };
  return {
    root,
    async putModel(model) {
      const adapter = toModelAdapter(model);
      if (!isLayersModel(adapter.model)) {
        throw new UnlearnError('UNSUPPORTED_MODEL', 'jobs: only tfjs LayersModels can be sent to workers (they travel as model.json + weights.bin)');
      }
      await mkdir(models, { recursive: true });
      await removeDeadParts(models, log);
      // The hash is of the saved files, so it is known only after a save: save to a private
      // folder, hash the files there, then publish the folder under that hash.
      const part = privateSibling(join(models, 'model'));
      try {
        await saveModel(adapter.model, part);
        const hash = await sha256OfFiles([join(part, 'model.json'), join(part, 'weights.bin')]);
        await publish(part, join(models, hash));
        return hash;
      } finally {
        await rm(part, { recursive: true, force: true });
      }
    },
    async loadModel(hash) {
      checkName('model', hash);
      return toModelAdapter(await loadModel(join(models, hash)));
    },
    async putData(set) {
      const parts = [set.x, set.y].map((t) => ({ shape: t.shape, dtype: t.dtype }));
      const hash = createHash('sha256').update(JSON.stringify(parts));
      for (const t of [set.x, set.y]) {
        const values = await t.data();
        hash.update(new Uint8Array(values.buffer, values.byteOffset, values.byteLength));
      }
      const name = hash.digest('hex');
      await mkdir(data, { recursive: true });
      await putOnce(join(data, name), (tmp) => saveTensors(tmp, { x: set.x, y: set.y }, {}), log);
      return name;
    },
    async loadData(hash) {
      checkName('data set', hash);
      const { tensors } = await loadTensors(join(data, hash));
      if (!tensors.x || !tensors.y) {
        tf.dispose(Object.values(tensors));
        throw new UnlearnError('CORRUPT_FILE', `jobs: data/${hash} lacks x or y`);
      }
      return { x: tensors.x, y: tensors.y };
    },
    async readResult(key) {
      checkName('job key', key);
      let text: string;
      try {
        text = await readFile(join(results, key, RESULT_FILE), 'utf8');
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
        throw error;
      }
      const result = decodeResult(text);
      if (result?.format !== 'unlearn-job-result' || result.key !== key) {
        throw new UnlearnError('CORRUPT_FILE', `jobs: results/${key}/${RESULT_FILE} is not this job's result`);
      }
      return result;
    },
    async writeResult(result, model) {
      checkName('job key', result.key);
      await mkdir(results, { recursive: true });
      return putOnce(join(results, result.key), async (tmp) => {
        if (model) {
          if (!isLayersModel(model)) throw new UnlearnError('UNSUPPORTED_MODEL', 'jobs: a result model must be a tfjs LayersModel');
          await saveModel(model, join(tmp, MODEL_DIR));
        }
        await writeFile(join(tmp, RESULT_FILE), encodeResult(result));
      }, log);
    },
    async loadResultModel(key) {
      checkName('job key', key);
      try {
        return toModelAdapter(await loadModel(join(results, key, MODEL_DIR)));
      } catch (error) {
        if (isUnlearnError(error, 'CORRUPT_FILE')) {
          throw new UnlearnError('MISSING_DATA', `jobs: the reference model of job ${key} is not in the store (${(error as Error).message})`, {
            cause: error,
          });
        }
        throw error;
      }
    },
    resultKeys: () => contentNames(results),
  };
}

/** Puts a benchmark's train and test sets in the store. */
export async function putEvalData(store: JobStore, set: EvalData): Promise<{ train: string; test: string }> {
  return { train: await store.putData(set.train), test: await store.putData(set.test) };
}
