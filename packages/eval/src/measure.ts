import type * as tf from '@tensorflow/tfjs-core';
import type { ModelAdapter, UnlearnableModel } from '@unlearn/core';
import { readLabels } from './data.js';
import type { MetricContext, MetricDefinition } from './metrics.js';
import { defaultMetrics } from './metrics.js';
import type { PredictOptions, Probabilities } from './predict.js';
import { predictProbabilities } from './predict.js';
import type { ScenarioSplits, Split, SplitName } from './scenario.js';

/** One split's rows; without `y`, metrics that read its labels are left out. */
export interface MeasureSet {
  x: tf.Tensor;
  /** Class indices [n] or one-hot [n, C]. */
  y?: tf.Tensor;
}

export interface MeasureOptions {
  /** Default `defaultMetrics`. */
  metrics?: readonly MetricDefinition[];
  predict?: PredictOptions;
}

export interface Measured {
  /** By metric id, in the order of `metrics`. */
  values: Record<string, number>;
  /** Ids of the metrics that need something this measurement did not have. */
  skipped: string[];
}

/** Thrown inside a metric when it reads what `measureModel` was not given. */
class Unavailable extends Error {}

/**
 * Every metric in `metrics` that one model and the sets given can produce: a metric that needs
 * the retrained reference, a random network, the run's time, a split not given or the labels of a
 * set given without them is skipped. What `unlearn forget` records and `unlearn eval` prints, so a
 * metric added to `defaultMetrics` reaches both, computed as the benchmark computes it.
 */
export async function measureModel(
  model: UnlearnableModel | ModelAdapter,
  sets: Partial<Record<SplitName, MeasureSet>>,
  options: MeasureOptions = {},
): Promise<Measured> {
  const labels = new Map<SplitName, Int32Array>();
  for (const [name, set] of Object.entries(sets) as [SplitName, MeasureSet][]) {
    if (set.y) labels.set(name, await readLabels({ x: set.x, y: set.y }, name));
  }
  const outputs = new Map<tf.Tensor, Promise<Probabilities>>();
  const set = (name: SplitName): MeasureSet => {
    const s = sets[name];
    if (!s) throw new Unavailable();
    return s;
  };
  // Metrics read a split's labels only; its other fields stay out of reach.
  const splits = new Proxy({} as ScenarioSplits, {
    get: (_t, name) => {
      set(name as SplitName);
      return {
        get labels() {
          const l = labels.get(name as SplitName);
          if (!l) throw new Unavailable();
          return l;
        },
      } as Split;
    },
  });
  const ctx: MetricContext = {
    splits,
    probabilities(role, name) {
      if (role !== 'model') throw new Unavailable();
      const { x } = set(name);
      let memo = outputs.get(x);
      if (!memo) {
        memo = predictProbabilities(model, x, options.predict ?? {});
        outputs.set(x, memo);
      }
      return memo;
    },
    get timeMs(): number {
      throw new Unavailable();
    },
    get retrainTimeMs(): number {
      throw new Unavailable();
    },
    zrfReduction: 'js',
  };
  const values: Record<string, number> = {};
  const skipped: string[] = [];
  for (const metric of options.metrics ?? defaultMetrics) {
    if (metric.needsRetrained || metric.needsRandom) {
      skipped.push(metric.id);
      continue;
    }
    try {
      values[metric.id] = await metric.compute(ctx);
    } catch (error) {
      if (!(error instanceof Unavailable)) throw error;
      skipped.push(metric.id);
    }
  }
  return { values, skipped };
}
