import { EtaEstimator, invalidOption, toModelAdapter, UnlearnError } from '@unlearn/core';
import type { ModelAdapter, UnlearnableModel } from '@unlearn/core';
import { logitScaledConfidence } from './confidence.js';
import type { LabelledData } from './data.js';
import { readLabels } from './data.js';
import type { UliraOptions, UliraResult } from './lira.js';
import { fitGaussians, likelihoodRatios, uliraFromConfidences } from './lira.js';
import type { PredictOptions } from './predict.js';
import { predictProbabilities } from './predict.js';

/** "positive": trained with the examples ("in"), or unlearned; "negative": without them ("out"), or retrained. */
export type ReferenceSide = 'positive' | 'negative';

/** The time the reference models will take, from the first one of each side. */
export interface ReferenceEstimate {
  /** 2·K. */
  models: number;
  firstMs: Record<ReferenceSide, number>;
  /** K · (first positive + first negative). */
  estimatedMs: number;
  /** What is left of it once the first two are trained. */
  remainingMs: number;
}

export interface UliraAttackOptions extends UliraOptions, PredictOptions {
  /** The examples asked about (e.g. the forget set), with labels. */
  examples: LabelledData;
  /** K, reference models per side (at least 3). */
  k: number;
  /**
   * Trains reference model `index` of `side`. Every call must be an independent run (its own
   * seed): the attack fits each side's spread over these models. The returned model is read on
   * `examples` and then disposed.
   */
  train(args: { side: ReferenceSide; index: number }): Promise<UnlearnableModel | ModelAdapter>;
  /** Side names for messages. Default `{ positive: 'in', negative: 'out' }`; U-LiRA: 'unlearned' and 'retrained'. */
  names?: Record<ReferenceSide, string>;
  /** A model to score per example against fits on all K models of each side (read, not disposed). */
  target?: UnlearnableModel | ModelAdapter;
  /** Receives the estimate and progress lines. Default: `console.error`. */
  log?: (message: string) => void;
  /** Asked once, with the estimate, after the first model of each side; false stops the attack (ABORTED). */
  confirm?: (estimate: ReferenceEstimate) => boolean | Promise<boolean>;
  signal?: AbortSignal;
}

export interface UliraAttackResult extends UliraResult {
  k: number;
  names: Record<ReferenceSide, string>;
  estimate: ReferenceEstimate;
  /** Wall time of the whole attack, training included. */
  elapsedMs: number;
  /** Λ of `target` per example; `positiveFraction` is the share with Λ > 0 (looks "positive"). */
  target?: { scores: Float64Array; meanScore: number; positiveFraction: number };
}

function duration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 120_000) return `${(ms / 1000).toFixed(1)} s`;
  if (ms < 7_200_000) return `${(ms / 60_000).toFixed(1)} min`;
  return `${(ms / 3_600_000).toFixed(1)} h`;
}

/**
 * Opt-in per-example likelihood-ratio attack (LiRA; U-LiRA for unlearning, Hayes et al. 2024)
 * with reference models trained by `train`: K per side, alternating sides so that after the
 * first two it can say how long the other 2K − 2 will take (logged, and passed to `confirm`).
 * It then scores the examples with `uliraFromConfidences` (paired leave-one-out, ROC over all
 * held-out pairs) and, given a `target`, that model's Λ per example.
 *
 * Costs 2K training runs: this is why no benchmark runs it by default.
 */
export async function ulira(options: UliraAttackOptions): Promise<UliraAttackResult> {
  const { examples, k, train, target, signal, confirm, batchSize, threads } = options;
  const names = options.names ?? { positive: 'in', negative: 'out' };
  const log = options.log ?? ((message: string) => console.error(message));
  if (!Number.isInteger(k) || k < 3) throw invalidOption('ulira', 'k', 'an integer ≥ 3 (each fit uses K − 1 models per side)', k);
  const labels = await readLabels(examples, 'ulira: examples');
  const predict = { batchSize, threads };
  const started = performance.now();
  const throwIfAborted = () => {
    if (signal?.aborted) throw new UnlearnError('ABORTED', 'ulira was aborted', { cause: signal.reason });
  };
  const confidencesOf = async (model: UnlearnableModel | ModelAdapter) =>
    logitScaledConfidence(await predictProbabilities(model, examples.x, predict), labels, 'examples');

  const confs: Record<ReferenceSide, Float64Array[]> = { positive: [], negative: [] };
  const firstMs: Record<ReferenceSide, number> = { positive: 0, negative: 0 };
  const eta = new EtaEstimator<ReferenceSide>({ positive: k, negative: k });
  let estimate: ReferenceEstimate | undefined;
  log(`ulira: ${2 * k} reference models (${k} ${names.positive}, ${k} ${names.negative}); timing the first of each to estimate the rest`);
  for (let index = 0; index < k; index++) {
    for (const side of ['positive', 'negative'] as const) {
      throwIfAborted();
      const t0 = performance.now();
      const adapter = toModelAdapter(await train({ side, index }));
      const ms = performance.now() - t0;
      try {
        confs[side].push(await confidencesOf(adapter));
      } finally {
        adapter.dispose();
      }
      eta.finish(side, ms);
      if (index === 0) firstMs[side] = ms;
    }
    if (index === 0) {
      const estimatedMs = k * (firstMs.positive + firstMs.negative);
      estimate = { models: 2 * k, firstMs: { ...firstMs }, estimatedMs, remainingMs: eta.estimate() ?? 0 };
      log(
        `ulira: first ${names.positive} model ${duration(firstMs.positive)}, first ${names.negative} model ${duration(firstMs.negative)}: ` +
          `about ${duration(estimatedMs)} for all ${2 * k} (${duration(estimate.remainingMs)} left)`,
      );
      if (confirm && !(await confirm(estimate))) throw new UnlearnError('ABORTED', 'ulira: stopped after the time estimate (confirm returned false)');
    } else {
      log(`ulira: ${2 * (index + 1)}/${2 * k} reference models, about ${duration(eta.estimate() ?? 0)} left`);
    }
  }

  const result = uliraFromConfidences(confs, options);
  let targetResult: UliraAttackResult['target'];
  if (target) {
    const scores = likelihoodRatios(await confidencesOf(target), fitGaussians(confs.positive, options), fitGaussians(confs.negative, options));
    let sum = 0;
    let positive = 0;
    for (const s of scores) {
      sum += s;
      if (s > 0) positive++;
    }
    targetResult = { scores, meanScore: sum / scores.length, positiveFraction: positive / scores.length };
  }
  return { ...result, k, names, estimate: estimate!, elapsedMs: performance.now() - started, target: targetResult };
}
