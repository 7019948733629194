import * as tf from '@tensorflow/tfjs-core';
import { toModelAdapter, unlearn } from '@unlearn/core';
import type { ForgetRequest, ModelAdapter, ProgressEvent, Unlearner } from '@unlearn/core';
import type { RetrainCache } from './cache.js';
import { retrainCacheKey } from './cache.js';
import type { Scenario, ScenarioSplits } from './scenario.js';

export interface Reference {
  model: ModelAdapter;
  timeMs: number;
  cached: boolean;
  details?: Record<string, unknown>;
}

/**
 * The retrained reference for one scenario and seed: read from `cache` when an entry with the
 * same weights, scenario, forget rows, seed, retrain options and backend exists, otherwise run
 * with core's `unlearn()` and stored.
 */
export async function obtainReference(args: {
  /** The trained model's adapter; the reference is retrained on a copy, and comes back as an adapter too. */
  model: ModelAdapter;
  weightsHash: string | undefined;
  scenario: Scenario;
  splits: ScenarioSplits;
  request: ForgetRequest;
  retrain: Unlearner;
  seed: number;
  cache: RetrainCache | undefined;
  signal: AbortSignal | undefined;
  onStart: () => void;
  onProgress: (event: ProgressEvent) => void;
}): Promise<Reference> {
  const { scenario, retrain, seed, cache } = args;
  const key =
    cache && args.weightsHash
      ? await retrainCacheKey({
          weightsHash: args.weightsHash,
          scenario: { name: scenario.name, kind: scenario.kind, params: scenario.params },
          forgetIndices: args.splits.forgetTrain.indices,
          seed,
          retrain: { name: retrain.name, options: retrain.options },
          backend: tf.getBackend(),
        })
      : undefined;
  const hit = key ? await cache!.get(key) : undefined;
  if (hit) return { model: toModelAdapter(hit.model), timeMs: hit.meta.timeMs, cached: true };

  args.onStart();
  const result = await unlearn(args.model, args.request, retrain, { seed, signal: args.signal, onProgress: args.onProgress });
  if (key) {
    await cache!.set(key, result.model.model, {
      key,
      timeMs: result.timeMs,
      method: result.method,
      options: result.options,
      seed,
      scenario: scenario.name,
      backend: result.backend,
      tfjsVersion: result.tfjsVersion,
      createdAt: new Date().toISOString(),
    });
  }
  return { model: result.model, timeMs: result.timeMs, cached: false, details: result.details };
}
