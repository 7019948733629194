import { hostname } from 'node:os';
import * as tf from '@tensorflow/tfjs-core';
import { createUnlearner, isUnlearnError, unlearn, UnlearnError } from '@unlearn/core';
import type { ForgetRequest, ModelAdapter, ProgressEvent } from '@unlearn/core';
import { builtinMetrics, evaluateRun, randomlyInitialised } from '@unlearn/eval';
import type { MetricDefinition, SplitName } from '@unlearn/eval';
import { runAutoSearch } from './auto-job.js';
import { JobInputs } from './inputs.js';
import { checkMethodSpec } from './method-spec.js';
import type { JobResult } from './result.js';
import { toScenario } from './scenarios.js';
import { jobKey, type JobSpec } from './spec.js';
import type { JobStore } from './store.js';

export interface RunJobOptions {
  /** Reuse the model and data of the previous job (a worker keeps one for its lifetime). */
  inputs?: JobInputs;
  /** Threads for the metric passes; the values do not depend on it (one per job by default: a worker is one slot). */
  threads?: number;
  /** Recorded in the result's provenance (a queue worker's name). */
  worker?: string;
  signal?: AbortSignal;
  onProgress?: (event: ProgressEvent) => void;
}

/** Metric definitions by id: only built-in metrics can be named in a job description. */
export function metricsOf(ids: readonly string[]): MetricDefinition[] {
  return ids.map((id) => {
    const m = (builtinMetrics as Record<string, MetricDefinition>)[id];
    if (!m) throw new UnlearnError('INVALID_OPTION', `jobs: unknown metric "${id}" (a job can name only @unlearn/eval's built-in metrics)`);
    return m;
  });
}

/**
 * Runs one job and publishes its result in the store, unless a result for its key is there
 * already (then that one is returned and nothing runs). A method that throws is recorded in the
 * result, as `benchmark` records it; a failure of the job itself (a missing input, a failed
 * reference) throws, so the queue retries it.
 */
export async function runJob(spec: JobSpec, store: JobStore, options: RunJobOptions = {}): Promise<{ result: JobResult; ran: boolean }> {
  // A job may come from anyone who can write to the queue: its method must not touch this
  // machine's files, and must be the code the planner named.
  if (spec.method) checkMethodSpec(spec.method);
  const key = await jobKey(spec);
  const done = await store.readResult(key);
  if (done) return { result: done, ran: false };
  if (spec.backend !== tf.getBackend()) {
    throw new UnlearnError('INVALID_OPTION', `jobs: job ${key} must run on the ${spec.backend} backend, this process uses ${tf.getBackend()}`);
  }
  const startedAt = new Date().toISOString();
  const wall = performance.now();
  const ownInputs = !options.inputs;
  const inputs = options.inputs ?? new JobInputs(store);
  const metrics = metricsOf(spec.metrics);
  const scenario = toScenario(spec.scenario);
  const disposables: ModelAdapter[] = [];
  try {
    const original = await inputs.modelOf(spec.model);
    const data = await inputs.dataOf(spec.data);
    const splits = await scenario.split(data, spec.seed);
    try {
      const sizes = Object.fromEntries(
        (['forgetTrain', 'retainTrain', 'forgetTest', 'retainTest', 'test'] as SplitName[]).map((s) => [s, splits[s].indices.length]),
      ) as Record<SplitName, number>;
      const random = metrics.some((m) => m.needsRandom) ? await randomlyInitialised(original, spec.seed) : undefined;
      if (random) disposables.push(random);
      let retrained: ModelAdapter | undefined;
      let retrainTimeMs: number | undefined;
      if (spec.reference) {
        const ref = await store.readResult(spec.reference);
        if (!ref) throw new UnlearnError('MISSING_DATA', `jobs: job ${key} compares against reference ${spec.reference}, which has no result yet`);
        retrainTimeMs = ref.timeMs;
        retrained = await store.loadResultModel(spec.reference);
        disposables.push(retrained);
      }
      const request: ForgetRequest = {
        forget: { x: splits.forgetTrain.x, y: splits.forgetTrain.y },
        retain: { x: splits.retainTrain.x, y: splits.retainTrain.y },
        train: { x: data.train.x, y: data.train.y },
      };
      const evaluate = (model: ModelAdapter, timeMs: number, retrainedModel: ModelAdapter | undefined, retrainMs: number | undefined) =>
        evaluateRun({
          metrics,
          data,
          splits,
          models: { model, ...(retrainedModel ? { retrained: retrainedModel } : {}), ...(random ? { random } : {}) },
          timeMs,
          retrainTimeMs: retrainMs,
          zrfReduction: spec.eval.zrfReduction,
          predict: { batchSize: spec.eval.batchSize, threads: options.threads ?? 1 },
        });
      const base = {
        format: 'unlearn-job-result' as const,
        version: 1 as const,
        key,
        kind: spec.kind,
        scenario: scenario.name,
        seed: spec.seed,
        ...(spec.runSeed !== undefined ? { runSeed: spec.runSeed } : {}),
        sizes,
      };
      const ran = () => ({
        host: hostname(),
        pid: process.pid,
        ...(options.worker ? { worker: options.worker } : {}),
        backend: tf.getBackend(),
        tfjsVersion: tf.version_core,
        startedAt,
        wallMs: performance.now() - wall,
      });

      if (spec.kind === 'original') {
        const metricsOut = await evaluate(original, Number.NaN, retrained, retrainTimeMs);
        const result: JobResult = { ...base, row: 'original', metrics: metricsOut, timeMs: Number.NaN, ran: ran() };
        if (retrainTimeMs !== undefined) result.retrainTimeMs = retrainTimeMs;
        return await publish(store, result);
      }

      const methodSpec = spec.method!;
      const unlearner = createUnlearner(methodSpec.name, methodSpec.options);
      const seed = spec.runSeed ?? spec.seed;
      const signal = options.signal ? { signal: options.signal } : {};
      const run = { seed, ...signal, ...(options.onProgress ? { onProgress: options.onProgress } : {}) };
      const method = { name: unlearner.name, options: unlearner.options };
      if (spec.kind === 'reference') {
        const out = await unlearn(original, request, unlearner, run);
        const model = out.model;
        disposables.push(model);
        const metricsOut = await evaluate(model, out.timeMs, model, out.timeMs);
        const result: JobResult = { ...base, row: methodSpec.row, method, metrics: metricsOut, timeMs: out.timeMs, retrainTimeMs: out.timeMs, details: out.details, ran: ran() };
        return await publish(store, result, model);
      }

      let result: JobResult;
      let model: ModelAdapter | undefined;
      try {
        if (spec.kind === 'auto') {
          const found = await runAutoSearch(unlearner, spec.auto ?? {}, original, request, data.test, { seed, ...signal });
          model = found.model;
          if (model) disposables.push(model);
          const metricsOut = model ? await evaluate(model, found.timeMs, retrained, retrainTimeMs) : {};
          const kept = model ? {} : { error: found.search.reason };
          result = { ...base, row: methodSpec.row, method, metrics: metricsOut, timeMs: found.timeMs, auto: found.search, ...(found.details ? { details: found.details } : {}), ...kept, ran: ran() };
        } else {
          const out = await unlearn(original, request, unlearner, run);
          model = out.model;
          disposables.push(model);
          const metricsOut = await evaluate(model, out.timeMs, retrained, retrainTimeMs);
          result = { ...base, row: methodSpec.row, method, metrics: metricsOut, timeMs: out.timeMs, details: out.details, ran: ran() };
        }
      } catch (error) {
        if (isUnlearnError(error, 'ABORTED')) throw error;
        model = undefined;
        result = { ...base, row: methodSpec.row, method, metrics: {}, timeMs: Number.NaN, error: error instanceof Error ? error.message : String(error), ran: ran() };
      }
      if (retrainTimeMs !== undefined) result.retrainTimeMs = retrainTimeMs;
      return await publish(store, result, spec.produce.model ? model : undefined);
    } finally {
      splits.dispose();
    }
  } finally {
    for (const m of disposables) m.dispose();
    if (ownInputs) await inputs.dispose();
  }
}

/** Publishes, or returns false when another run of the same job got there first (its result stands). */
async function publish(store: JobStore, result: JobResult, model?: ModelAdapter): Promise<{ result: JobResult; ran: boolean }> {
  if (await store.writeResult(result, model?.model)) return { result, ran: true };
  return { result: (await store.readResult(result.key)) ?? result, ran: false };
}
