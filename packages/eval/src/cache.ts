import { sha256Hex, stableJson, toModelAdapter } from '@unlearn/core';
import type { UnlearnableModel } from '@unlearn/core';

/** What is stored with a retrained reference model. */
export interface RetrainCacheMeta {
  key: string;
  /** The retraining step's own time, reused for speed-ups when the model comes from the cache. */
  timeMs: number;
  method: string;
  options: unknown;
  seed: number;
  scenario: string;
  backend: string;
  tfjsVersion: string;
  createdAt: string;
}

/**
 * Storage for retrained reference models, so a benchmark rerun does not retrain. `get` returns
 * a model the caller owns (and disposes). `@unlearn/eval/node` has a folder-backed one.
 */
export interface RetrainCache {
  get(key: string): Promise<{ model: UnlearnableModel; meta: RetrainCacheMeta } | undefined>;
  set(key: string, model: UnlearnableModel, meta: RetrainCacheMeta): Promise<void>;
}

export interface RetrainKeyParts {
  /** `hashWeights` of the trained model the reference is retrained from. */
  weightsHash: string;
  scenario: { name: string; kind: string; params: unknown };
  /** The forget rows, so two draws of a random scenario never share an entry. */
  forgetIndices: Int32Array;
  seed: number;
  retrain: { name: string; options: unknown };
  /** Retrain times differ between backends, and speed-ups use them. */
  backend: string;
}

/** SHA-256 over everything that determines a retrained model. */
export async function retrainCacheKey(parts: RetrainKeyParts): Promise<string> {
  const { forgetIndices, ...rest } = parts;
  const text = stableJson({ ...rest, forget: Array.from(forgetIndices) });
  return sha256Hex([new TextEncoder().encode(text)]);
}

/** An in-memory cache (browsers, tests, several benchmarks in one process). */
export function memoryRetrainCache(): RetrainCache & { readonly size: number; clear(): void } {
  const entries = new Map<string, { model: UnlearnableModel; meta: RetrainCacheMeta }>();
  return {
    get size() {
      return entries.size;
    },
    async get(key) {
      const entry = entries.get(key);
      if (!entry) return undefined;
      const copy = await toModelAdapter(entry.model).clone();
      return { model: copy.model, meta: entry.meta };
    },
    async set(key, model, meta) {
      const copy = await toModelAdapter(model).clone();
      const old = entries.get(key);
      if (old) toModelAdapter(old.model).dispose();
      entries.set(key, { model: copy.model, meta });
    },
    clear() {
      for (const e of entries.values()) toModelAdapter(e.model).dispose();
      entries.clear();
    },
  };
}
