import { readFile, rm, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { isLayersModel, isUnlearnError, UnlearnError } from '@unlearn/core';
import { fileSystemSaver, loadModel, writeDirAtomically } from '@unlearn/core/node';
import type { RetrainCache, RetrainCacheMeta } from '../cache.js';

const META_FILE = 'meta.json';
const MODEL_DIR = 'model';

/**
 * Keeps each retrained reference in `<dir>/<key>/`: the layers model (model.json + weights.bin)
 * and meta.json, written together atomically. A folder that cannot be read is treated as a miss
 * and replaced on the next `set`.
 */
export function fileRetrainCache(dir: string): RetrainCache & { readonly dir: string } {
  const root = resolve(dir);
  return {
    dir: root,
    async get(key) {
      const folder = join(root, key);
      let meta: RetrainCacheMeta;
      try {
        meta = JSON.parse(await readFile(join(folder, META_FILE), 'utf8')) as RetrainCacheMeta;
      } catch {
        return undefined;
      }
      if (meta?.key !== key || typeof meta.timeMs !== 'number') {
        await rm(folder, { recursive: true, force: true });
        return undefined;
      }
      try {
        return { model: await loadModel(join(folder, MODEL_DIR)), meta };
      } catch (error) {
        if (isUnlearnError(error, 'CORRUPT_FILE')) return undefined;
        throw error;
      }
    },
    async set(key, model, meta) {
      if (!isLayersModel(model)) {
        throw new UnlearnError(
          'UNSUPPORTED_MODEL',
          'The file retrain cache stores tfjs LayersModels only; use memoryRetrainCache() or no cache for function models',
        );
      }
      await writeDirAtomically(join(root, key), async (tmp) => {
        await model.save(fileSystemSaver(join(tmp, MODEL_DIR)));
        await writeFile(join(tmp, META_FILE), `${JSON.stringify(meta, null, 2)}\n`);
      });
    },
  };
}
