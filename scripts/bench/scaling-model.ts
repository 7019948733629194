import { loadavg } from 'node:os';
import * as tf from '@tensorflow/tfjs-core';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import { toModelAdapter, unlearn, UnlearnError, type ForgetRequest, type Unlearner } from '@unlearn/core';
import { jit } from '@unlearn/jit';
import { computeImportances, disposeImportances, ssd, type ImportanceSet } from '@unlearn/ssd';
import { lfSsd } from '@unlearn/lf-ssd';
import { loadMnist, loadPretrainedMnistCnn } from '@unlearn/mnist-fixture';
import { buildMobileNetV2, buildResNet18, cifarLike, parameterCounts } from '@unlearn/model-zoo';
import { forwardMacs } from './macs.js';
import {
  fitLine,
  predict,
  type ImportanceTiming,
  type Load,
  type ModelResult,
  type Point,
  type ScalingMethod,
  type ScalingModelKey,
  type Series,
} from './scaling-fit.js';

/** Knobs of `npm run bench:scaling`, shared by the parent and its children through the environment. */
export const scalingSettings = {
  smoke: process.env.BENCH_SMOKE === '1',
  /** A cell whose estimated time exceeds this is cut short (a prefix of whole batches) and its full size predicted. */
  cellBudgetS: Number(process.env.SCALING_CELL_BUDGET_S ?? 180),
  /** Training-set samples for the zoo models' importances (MNIST uses the fixture's whole training split). */
  zooTrainSamples: Number(process.env.SCALING_ZOO_TRAIN ?? 512),
  /** Seconds a model's child may spend, split evenly between the three methods (importances included). */
  modelBudgetS: Number(process.env.SCALING_MODEL_BUDGET_S ?? 1500),
  loadLimit: Number(process.env.BENCH_LOAD_LIMIT ?? 1.5),
  /** Comma-separated methods to measure (default all); the child keeps the other methods' last results. */
  methods: (process.env.SCALING_METHODS ?? 'jit,ssd,lf-ssd').split(',').map((m) => m.trim()),
  /** Threads every method is asked for: both cores, as PyTorch would use them. */
  threads: 2,
};

export const SIZES = scalingSettings.smoke ? [16, 64, 256] : [100, 1000, 10_000];

const load1 = () => loadavg()[0]!;

interface Data {
  x: tf.Tensor;
  y: tf.Tensor;
}

interface Fixture {
  label: string;
  /** JiT's batch when not its default: a batch of 128 aborted the wasm heap on MobileNetV2 (memory access out of bounds). */
  jitBatch?: number;
  /** SSD's and LF-SSD's batch (importances included) when not their default of 64. */
  ssdBatch?: number;
  model: LayersModel;
  train: Data;
  /** A forget set of n samples (created outside the timed call). */
  forget(n: number): Data;
  dispose(): void;
}

async function mnistFixture(): Promise<Fixture> {
  const model = await loadPretrainedMnistCnn();
  const { train, test } = loadMnist();
  // The fixture has about 10,000 digits; repeated to the largest forget set (times do not depend on which digits).
  const need = Math.max(...SIZES);
  const pool = tf.tidy(() => {
    const x = tf.concat([train.x, test.x]);
    const y = tf.concat([train.y, test.y]);
    const reps = Math.ceil(need / x.shape[0]);
    return {
      x: tf.slice(tf.tile(x, [reps, 1, 1, 1]), 0, need),
      y: tf.slice(tf.tile(y, [reps]), 0, need),
    };
  });
  tf.dispose(test.x);
  tf.dispose(test.y);
  return {
    label: 'MNIST CNN',
    model,
    train,
    forget: (n) => ({ x: tf.slice(pool.x, 0, n), y: tf.slice(pool.y, 0, n) }),
    dispose: () => tf.dispose([pool.x, pool.y, train.x, train.y]),
  };
}

function zooFixture(label: string, model: LayersModel, batch = 64): Fixture {
  const train = cifarLike({
    n: scalingSettings.smoke ? 128 : scalingSettings.zooTrainSamples,
    seed: 5,
  });
  return {
    label,
    jitBatch: batch,
    ...(batch === 64 ? {} : { ssdBatch: batch }),
    model,
    train,
    forget: (n) => cifarLike({ n, seed: 11 }),
    dispose: () => tf.dispose([train.x, train.y]),
  };
}

async function fixtureOf(key: ScalingModelKey): Promise<Fixture> {
  const smoke = scalingSettings.smoke;
  if (key === 'mnist') return mnistFixture();
  // MobileNetV2 keeps 32x32 maps with six-fold expanded channels through its first blocks: a gradient of a batch of 64
  // aborted the wasm heap (4 GB) in JiT and in the importance pass alike, so it runs on batches of 16.
  if (key === 'mobilenet') return zooFixture('MobileNetV2', buildMobileNetV2(smoke ? { widthMultiplier: 0.25 } : {}), smoke ? 64 : 16);
  return zooFixture('ResNet-18', buildResNet18(smoke ? { width: 4 } : {}));
}

async function timedImportance(
  model: LayersModel,
  train: Data,
  kind: 'fisher' | 'loss-free',
  batchSize: number,
): Promise<{ set: ImportanceSet; timing: ImportanceTiming }> {
  const before = load1();
  const t0 = performance.now();
  const set = await computeImportances(model, train, {
    kind,
    batchSize,
    threads: scalingSettings.threads,
  });
  const ms = performance.now() - t0;
  const load: Load = { before, after: load1() };
  const samples = train.x.shape[0]!;
  console.error(
    `  training-set ${kind} importance, ${samples} samples: ${(ms / 1000).toFixed(1)} s, load ${load.before.toFixed(2)} → ${load.after.toFixed(2)}`,
  );
  return { set, timing: { samples, batchSize, ms, load } };
}

interface MethodPlan {
  method: ScalingMethod;
  unlearner: Unlearner<unknown>;
  batchSize: number;
  nSamples?: number;
  request(forget: Data): ForgetRequest;
  /** Forget-set size of the untimed warm-up. */
  warmup: number;
}

/** One full unlearn() call, timed; the copy it returns is disposed outside the timing. */
async function timeCall(model: LayersModel, plan: MethodPlan, data: Data, size: number): Promise<Point> {
  const request = plan.request(data);
  const before = load1();
  const t0 = performance.now();
  const result = await unlearn(model, request, plan.unlearner).catch((error: unknown) => {
    // The runner checks the weights for NaN once the method has run to its end: the call took its full time.
    if (error instanceof UnlearnError && error.code === 'DIVERGED') return error;
    throw error;
  });
  const ms = performance.now() - t0;
  const after = load1();
  const load = { before, after };
  const underLoad = Math.max(before, after) > scalingSettings.loadLimit;
  if (result instanceof UnlearnError) return { size, ms, methodMs: ms, load, underLoad, diverged: true };
  toModelAdapter(result.model).dispose();
  const d = result.details as Record<string, unknown>;
  const threads = d.threads;
  return {
    size,
    ms,
    methodMs: result.timeMs,
    load,
    underLoad,
    ...(threads === undefined ? {} : { threads }),
  };
}

/**
 * The cells of one method: each size of SIZES in turn, fully measured while its estimate (the
 * line through what was measured so far, or the warm-up's rate before that) fits the time left:
 * the cell budget, and what remains of the model's budget. The first size that does not fit is
 * measured once as a prefix that does (whole batches of the method's own batching, or a smaller
 * |Df| below one batch), and it and every larger size are left for the parent to predict from the
 * fitted line.
 */
async function measureSeries(fixture: Fixture, key: ScalingModelKey, plan: MethodPlan, deadline: number): Promise<Series> {
  const series: Series = {
    method: plan.method,
    model: key,
    batchSize: plan.batchSize,
    ...(plan.nSamples ? { nSamples: plan.nSamples } : {}),
    points: [],
  };
  const run = async (size: number) => {
    const data = fixture.forget(size);
    try {
      const p = await timeCall(fixture.model, plan, data, size);
      series.points.push(p);
      console.error(
        `  ${plan.method} |Df|=${size}: ${(p.ms / 1000).toFixed(2)} s (method ${(p.methodMs / 1000).toFixed(2)} s), load ${p.load.before.toFixed(
          2,
        )} → ${p.load.after.toFixed(2)}${p.underLoad ? ' ⚠' : ''}${p.diverged ? ', diverged (NaN weights; restored)' : ''}`,
      );
    } finally {
      tf.dispose([data.x, data.y]);
    }
  };
  try {
    const warm = fixture.forget(plan.warmup);
    const t0 = performance.now();
    await timeCall(fixture.model, plan, warm, plan.warmup).finally(() => tf.dispose([warm.x, warm.y]));
    const warmMs = performance.now() - t0;
    console.error(`  ${plan.method} warm-up, |Df|=${plan.warmup}: ${(warmMs / 1000).toFixed(2)} s (untimed)`);
    for (const size of SIZES) {
      // Before any point, the warm-up's rate: an overestimate (it starts the workers), which errs towards a shorter cell.
      const fit = fitLine(series.points) ?? {
        a: 0,
        b: warmMs / plan.warmup,
        from: [],
      };
      const budgetMs = Math.min(scalingSettings.cellBudgetS * 1000, deadline - performance.now());
      if (predict(fit, size) <= budgetMs) {
        await run(size);
        continue;
      }
      const last = series.points.length === 0 ? plan.warmup : Math.max(...series.points.map((p) => p.size));
      const affordable = Math.floor((budgetMs - Math.max(fit.a, 0)) / fit.b);
      const batches = Math.floor(affordable / plan.batchSize) * plan.batchSize;
      // Whole batches where they reach well beyond the last size (a longer lever for the fit); else any |Df| that does.
      const prefix = Math.min(size - 1, batches >= 1.5 * last ? batches : affordable >= 1.5 * last ? affordable : 0);
      console.error(
        `  ${plan.method} |Df|=${size}: estimated ${(predict(fit, size) / 1000).toFixed(0)} s > ${(budgetMs / 1000).toFixed(0)} s left for the cell; ${
          prefix > last ? `measuring |Df|=${prefix} instead` : 'not measured'
        }`,
      );
      if (prefix > last) await run(prefix);
      break;
    }
    // A line needs two sizes: when only one fitted, half of it (whole batches where it has them), if time is left.
    const only = series.points.length === 1 ? series.points[0]! : undefined;
    if (only && only.size >= 2) {
      const half = only.size >= 2 * plan.batchSize ? Math.floor(only.size / 2 / plan.batchSize) * plan.batchSize : Math.floor(only.size / 2);
      const estimate = (only.ms * half) / only.size;
      if (estimate <= deadline - performance.now()) await run(half);
      else console.error(`  ${plan.method}: no time left for a second size; nothing will be predicted`);
    }
  } catch (error) {
    series.error = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    console.error(`  ${plan.method}: ${series.error}`);
  }
  return series;
}

/** Everything one model's child process measures. */
export async function measureModel(key: ScalingModelKey): Promise<ModelResult> {
  const start = performance.now();
  // Each method gets a third of the model's budget (the parent runs one method per process, so each its own third).
  const wanted = (m: ScalingMethod) => scalingSettings.methods.includes(m);
  const order = (['jit', 'ssd', 'lf-ssd'] as const).filter(wanted);
  const share = (m: ScalingMethod) => start + (scalingSettings.modelBudgetS * 1000 * (order.indexOf(m) + 1)) / 3;
  const fixture = await fixtureOf(key);
  const result: ModelResult = {
    model: key,
    label: fixture.label,
    trainableParams: parameterCounts(fixture.model).trainable,
    forwardMacs: forwardMacs(fixture.model),
    trainImportance: {},
    series: [],
    wallS: 0,
  };
  console.error(
    `${fixture.label}: ${result.trainableParams.toLocaleString('en-US')} trainable parameters, ${result.forwardMacs.toLocaleString(
      'en-US',
    )} forward multiply-adds per sample`,
  );
  const sets: ImportanceSet[] = [];
  try {
    const jitMethod = jit({
      threads: scalingSettings.threads,
      ...(fixture.jitBatch ? { batchSize: fixture.jitBatch } : {}),
    });
    if (wanted('jit'))
      result.series.push(
        await measureSeries(
          fixture,
          key,
          {
            method: 'jit',
            unlearner: jitMethod as Unlearner<unknown>,
            batchSize: jitMethod.options.batchSize,
            nSamples: jitMethod.options.nSamples,
            request: (d) => ({ forget: { x: d.x } }),
            warmup: 8,
          },
          share('jit'),
        ),
      );
    const batch = fixture.ssdBatch ? { batchSize: fixture.ssdBatch } : {};
    const ssdMethod = ssd({ threads: scalingSettings.threads, ...batch });
    if (wanted('ssd')) {
      const fisher = await timedImportance(fixture.model, fixture.train, 'fisher', ssdMethod.options.batchSize);
      sets.push(fisher.set);
      result.trainImportance.fisher = fisher.timing;
      result.series.push(
        await measureSeries(
          fixture,
          key,
          {
            method: 'ssd',
            unlearner: ssdMethod as Unlearner<unknown>,
            batchSize: ssdMethod.options.batchSize,
            request: (d) => ({
              forget: { x: d.x, y: d.y },
              importances: fisher.set,
            }),
            warmup: 128,
          },
          share('ssd'),
        ),
      );
    }
    const lfMethod = lfSsd({ threads: scalingSettings.threads, ...batch });
    if (wanted('lf-ssd')) {
      const lossFree = await timedImportance(fixture.model, fixture.train, 'loss-free', lfMethod.options.batchSize);
      sets.push(lossFree.set);
      result.trainImportance['loss-free'] = lossFree.timing;
      result.series.push(
        await measureSeries(
          fixture,
          key,
          {
            method: 'lf-ssd',
            unlearner: lfMethod as Unlearner<unknown>,
            batchSize: lfMethod.options.batchSize,
            request: (d) => ({ forget: { x: d.x }, importances: lossFree.set }),
            warmup: 128,
          },
          share('lf-ssd'),
        ),
      );
    }
  } finally {
    sets.forEach(disposeImportances);
    fixture.dispose();
    fixture.model.dispose();
  }
  result.wallS = (performance.now() - start) / 1000;
  return result;
}
