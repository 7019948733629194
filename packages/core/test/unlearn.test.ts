import * as tf from '@tensorflow/tfjs-core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  hashWeights,
  isUnlearnError,
  noopUnlearner,
  toModelAdapter,
  unlearn,
  type FunctionModel,
  type UnlearnErrorCode,
  type UnlearnErrorLocation,
} from '../src/index.js';
import { syntheticClassification, tinyClassifier } from '../src/testing/index.js';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import { gradientAscent } from './helpers.js';
import { expectUnlearnError as expectCode } from '../src/testing/vitest.js';

let model: LayersModel;
let data: { x: tf.Tensor2D; y: tf.Tensor1D };

beforeEach(() => {
  model = tinyClassifier({ inputDim: 4, classes: 3 });
  data = syntheticClassification({ n: 12, inputDim: 4, classes: 3 });
});
afterEach(() => {
  model.dispose();
  tf.dispose([data.x, data.y]);
});

const hash = (m: LayersModel) => hashWeights(toModelAdapter(m));


describe('unlearn()', () => {
  it('returns a changed copy with a report, leaving the input model alone', async () => {
    const before = await hash(model);
    const result = await unlearn(model, { forget: data }, gradientAscent(), { seed: 3 });
    expect(result.model).not.toBe(model);
    expect(await hash(model)).toBe(before);
    expect(await hash(result.model)).not.toBe(before);
    expect(result.method).toBe('test-ascent');
    expect(result.options).toEqual({ steps: 3, lr: 0.1 });
    expect(result.seed).toBe(3);
    expect(result.backend).toBe(tf.getBackend());
    expect(result.tfjsVersion).toBe(tf.version_core);
    expect(result.timeMs).toBeGreaterThan(0);
    expect(result.changes.map((c) => c.name)).toEqual(toModelAdapter(model).variables.map((v) => v.name));
    expect(result.changes.every((c) => c.changed > 0 && c.relativeChange > 0)).toBe(true);
    result.model.dispose();
  });

  it('changes the caller model when inPlace and reports the changes', async () => {
    const before = await hash(model);
    const result = await unlearn(model, { forget: data }, gradientAscent(), { inPlace: true });
    expect(result.model).toBe(model);
    expect(await hash(model)).not.toBe(before);
    expect(result.changes.some((c) => c.changed > 0)).toBe(true);
  });

  it('[fault] a method that throws half way through an inPlace run → the error reaches the caller; every weight restored byte for byte, no tensor leaked', async () => {
    const before = await hash(model);
    const leakBase = tf.memory().numTensors;
    await expect(unlearn(model, { forget: data }, gradientAscent({ failAfter: 2 }), { inPlace: true })).rejects.toThrow(
      'planned failure',
    );
    expect(await hash(model)).toBe(before);
    expect(tf.memory().numTensors).toBe(leakBase);
  });

  it('disposes the working copy when the method throws', async () => {
    const leakBase = tf.memory().numTensors;
    await expect(unlearn(model, { forget: data }, gradientAscent({ failAfter: 1 }))).rejects.toThrow('planned failure');
    expect(tf.memory().numTensors).toBe(leakBase);
  });

  it('[fault] a method update that turns weights into NaN or Infinity (inPlace) → DIVERGED, suggesting a smaller learning rate; the model restored', async () => {
    const before = await hash(model);
    await expectCode(unlearn(model, { forget: data }, gradientAscent({ lr: Number.POSITIVE_INFINITY }), { inPlace: true }), 'DIVERGED', /smaller learning rate/);
    expect(await hash(model)).toBe(before);
  });

  it('[fault] an AbortSignal fired before the run, or between steps of an inPlace run → ABORTED; the model untouched', async () => {
    const before = await hash(model);
    const pre = new AbortController();
    pre.abort();
    await expectCode(unlearn(model, { forget: data }, gradientAscent(), { signal: pre.signal, inPlace: true }), 'ABORTED');
    const during = new AbortController();
    await expectCode(
      unlearn(model, { forget: data }, gradientAscent({ steps: 5 }), {
        signal: during.signal,
        inPlace: true,
        onProgress: (e) => e.step === 2 && during.abort(),
      }),
      'ABORTED',
    );
    expect(await hash(model)).toBe(before);
  });

  it('keeps progress monotonic even if a method reports a smaller step', async () => {
    const steps: number[] = [];
    const unlearner = {
      ...noopUnlearner(),
      async unlearn(ctx: Parameters<ReturnType<typeof noopUnlearner>['unlearn']>[0]) {
        ctx.progress({ phase: 'a', step: 3 });
        ctx.progress({ phase: 'b', step: 1 });
      },
    };
    const result = await unlearn(model, { forget: data }, unlearner, { onProgress: (e) => steps.push(e.step) });
    expect(steps).toEqual([3, 3]);
    result.model.dispose();
  });
});

describe('unlearn() bad input: clear errors, model untouched', () => {
  // Each error is located (split, field and, for one sample at fault, index) so that a caller can point at it without reading the message.
  const cases: [string, () => Parameters<typeof unlearn>, UnlearnErrorCode, RegExp, UnlearnErrorLocation][] = [
    ['empty forget set', () => [model, { forget: { x: tf.zeros([0, 4]), y: tf.zeros([0], 'int32') } }, gradientAscent()], 'EMPTY_DATASET', /forget set is empty/, { split: 'forget', field: 'x' }],
    ['forget inputs of the wrong shape', () => [model, { forget: { x: tf.zeros([2, 5]), y: tf.zeros([2], 'int32') } }, gradientAscent()], 'SHAPE_MISMATCH', /\[5\].*expects \[4\]/, { split: 'forget', field: 'x' }],
    ['labels missing for a method that needs them', () => [model, { forget: { x: data.x } }, gradientAscent()], 'MISSING_LABELS', /needs labels on the forget set/, { split: 'forget', field: 'y' }],
    ['labels out of range', () => [model, { forget: { x: tf.zeros([2, 4]), y: tf.tensor1d([0, 3], 'int32') } }, gradientAscent()], 'LABEL_OUT_OF_RANGE', /forget\.y\[1\] = 3.*0\.\.2/, { split: 'forget', field: 'y', index: 1 }],
    ['label count not matching inputs', () => [model, { forget: { x: tf.zeros([2, 4]), y: tf.tensor1d([0], 'int32') } }, gradientAscent()], 'SHAPE_MISMATCH', /forget\.y has 1 labels but forget\.x has 2 samples/, { split: 'forget', field: 'y' }],
    ['NaN in the forget inputs', () => [model, { forget: { x: tf.tensor2d([[0, Number.NaN, 0, 0]]), y: tf.tensor1d([0], 'int32') } }, gradientAscent()], 'NON_FINITE', /forget\.x contains NaN or Infinity: sample 0 holds NaN/, { split: 'forget', field: 'x', index: 0 }],
    ['Infinity in the retain inputs', () => [model, { forget: data, retain: { x: tf.tensor2d([[0, Number.POSITIVE_INFINITY, 0, 0]]), y: tf.tensor1d([0], 'int32') } }, gradientAscent()], 'NON_FINITE', /retain\.x contains NaN or Infinity: sample 0 holds Infinity/, { split: 'retain', field: 'x', index: 0 }],
    ['a missing forget set', () => [model, {} as never, gradientAscent()], 'MISSING_DATA', /no forget set/, { split: 'forget', field: 'x' }],
    ['a retain set the method needs', () => [model, { forget: data }, { ...noopUnlearner(), needs: { retain: true } }], 'MISSING_DATA', /needs the retain set/, { split: 'retain', field: 'x' }],
    ['a training set the method needs', () => [model, { forget: data }, { ...noopUnlearner(), needs: { train: true, acceptsImportances: true } }], 'MISSING_DATA', /training set \(request\.train\) or precomputed importances/, { split: 'train', field: 'x' }],
  ];

  it('[bad input] unlearn() with an empty or missing forget set, inputs of the wrong shape, missing or out-of-range labels, fewer labels than inputs, NaN or Infinity in the inputs, or without a set the method needs → its own code (EMPTY_DATASET, SHAPE_MISMATCH, MISSING_LABELS, LABEL_OUT_OF_RANGE, NON_FINITE, MISSING_DATA) naming the problem, located (split, field, index); the model untouched', async () => {
    for (const [what, args, code, message, location] of cases) {
      const before = await hash(model);
      const [m, request, unlearner] = args();
      const error = await expectCode(unlearn(m, request, unlearner, { inPlace: true }), code, message);
      expect({ split: error.split, field: error.field, index: error.index }, what).toEqual({ index: undefined, ...location });
      expect(await hash(model)).toBe(before);
    }
  });

  // One-hot labels are reduced with argMax, which hides NaN, negative or infinite entries; SSD's
  // cross-entropy then collapses the model. Each row must be a distribution over the classes.
  const oneHot = (rows: number[][]) => [model, { forget: { x: tf.zeros([rows.length, 4]), y: tf.tensor2d(rows) } }, gradientAscent()] as Parameters<typeof unlearn>;
  const badOneHot: [string, number[][], RegExp][] = [
    ['NaN', [[1, 0, 0], [0, Number.NaN, 1]], /forget\.y\[1\] .*NaN or Infinity/],
    ['Infinity', [[1, 0, 0], [0, 0, Number.POSITIVE_INFINITY]], /forget\.y\[1\] .*NaN or Infinity/],
    ['a negative entry', [[1, 0, 0], [-1, 1, 1]], /forget\.y\[1\] .*negative/],
    ['a row not summing to 1', [[1, 0, 0], [0, 1, 0], [1, 1, 0]], /forget\.y\[2\] .*sums to 2/],
  ];
  it('[bad input] one-hot labels with a NaN, an Infinity, a negative entry, or a row not summing to 1 → LABEL_OUT_OF_RANGE naming the row (split, field, index) before any work; no tensor leaked', async () => {
    for (const [what, rows, message] of badOneHot) {
      const before = tf.memory().numTensors;
      const args = oneHot(rows);
      const error = await unlearn(...args).catch((e: unknown) => e);
      expect(isUnlearnError(error, 'LABEL_OUT_OF_RANGE'), `${what}: ${String(error)}`).toBe(true);
      expect((error as Error).message).toMatch(message);
      expect(error).toMatchObject({ split: 'forget', field: 'y', index: rows.length - 1 });
      tf.dispose(Object.values(args[1].forget as object));
      expect(tf.memory().numTensors).toBe(before);
    }
  });

  it('accepts soft labels (rows of probabilities) within float rounding', async () => {
    const third = 1 / 3;
    const y = tf.tensor2d([[third, third, third], [0.1, 0.7, 0.2]]);
    const x = tf.zeros([2, 4]);
    const result = await unlearn(model, { forget: { x, y } }, { ...noopUnlearner(), needs: { labels: true } });
    result.model.dispose();
    tf.dispose([x, y]);
  });

  it('[bad input] NaN weights in the input model → NON_FINITE, located (split model, field weights), told apart from a method\'s own NaN (DIVERGED)', async () => {
    const weights = model.getWeights();
    const broken = tf.tensor(new Float32Array(weights[0]!.size).fill(Number.NaN), weights[0]!.shape);
    model.setWeights([broken, ...weights.slice(1)]);
    await expectCode(unlearn(model, { forget: data }, gradientAscent()), 'NON_FINITE', /model's weights contain NaN/);
    // NON_FINITE is bad input, told apart from a method's own NaN (DIVERGED) by code, and located.
    await expect(unlearn(model, { forget: data }, gradientAscent())).rejects.toMatchObject({ split: 'model', field: 'weights' });
    broken.dispose();
  });

  it('rejects a model with no trainable weights', async () => {
    model.trainable = false;
    await expectCode(unlearn(model, { forget: data }, gradientAscent()), 'NO_TRAINABLE_WEIGHTS');
    model.trainable = true;
  });

  it('rejects something that is not a model', async () => {
    await expectCode(unlearn({} as never, { forget: data }, gradientAscent()), 'UNSUPPORTED_MODEL');
  });

  it('runs a method option check before any work', async () => {
    const bad = { ...noopUnlearner(), validate: () => { throw new Error('lr must be > 0'); } };
    await expect(unlearn(model, { forget: data }, bad)).rejects.toThrow('lr must be > 0');
  });
});

describe('seed', () => {
  // A seed picks one stream of random choices; the generator takes 32 bits, so anything else
  // would fail late (NaN, a string) or silently share a stream with another seed (-1, 1.5, 2^32).
  const bad: unknown[] = [Number.NaN, '7', -1, 1.5, 2 ** 32, Number.POSITIVE_INFINITY];
  it('[bad input] seed NaN, "7", -1, 1.5, 2^32 or Infinity → INVALID_OPTION (an integer from 0 to 4294967295) before any work; the model unchanged, no tensor leaked', async () => {
    for (const seed of bad) {
      const before = tf.memory().numTensors;
      const weights = await hash(model);
      await expectCode(unlearn(model, { forget: data }, gradientAscent(), { seed: seed as number }), 'INVALID_OPTION', /seed.*integer from 0 to 4294967295/);
      expect(tf.memory().numTensors).toBe(before);
      expect(await hash(model)).toBe(weights);
    }
  });

  it('accepts the whole 32-bit range and records the seed it used', async () => {
    for (const seed of [0, 4294967295]) {
      const result = await unlearn(model, { forget: data }, noopUnlearner(), { seed });
      expect(result.seed).toBe(seed);
      result.model.dispose();
    }
  });
});

describe('function models', () => {
  function linearModel(): FunctionModel & { w: tf.Variable } {
    const w = tf.variable(tf.tensor2d([[1, 0, 0], [0, 1, 0], [0, 0, 1], [1, 1, 1]]));
    return {
      w,
      variables: [w],
      apply: (x) => tf.matMul(x as tf.Tensor2D, w),
      inputShape: [4],
      numClasses: 3,
      clone() {
        const copy = linearModel();
        copy.w.assign(w);
        return copy;
      },
    };
  }

  it('unlearns a { variables, apply } model through the same adapter', async () => {
    const fm = linearModel();
    const result = await unlearn(fm, { forget: data }, gradientAscent());
    expect(result.model).not.toBe(fm);
    expect(Array.from(await fm.w.data())).toEqual([1, 0, 0, 0, 1, 0, 0, 0, 1, 1, 1, 1]);
    expect(result.changes[0]!.changed).toBeGreaterThan(0);
    toModelAdapter(result.model).dispose();
    fm.w.dispose();
  });

  it('sees an abort that fired while the model was being copied', async () => {
    const fm = linearModel();
    const controller = new AbortController();
    const copying = { ...fm, clone: () => (controller.abort('while copying'), fm.clone!()) };
    await expectCode(unlearn(copying, { forget: data }, noopUnlearner(), { signal: controller.signal }), 'ABORTED');
    fm.w.dispose();
  });

  it('asks for inPlace or clone() when a function model cannot be copied', async () => {
    const fm = linearModel();
    const { clone: _clone, ...noClone } = fm;
    await expectCode(unlearn(noClone, { forget: data }, gradientAscent()), 'UNSUPPORTED_MODEL', /inPlace: true/);
    const result = await unlearn(noClone, { forget: data }, gradientAscent(), { inPlace: true });
    expect(result.model).toBe(noClone);
    fm.w.dispose();
  });
});

describe('declared needs', () => {
  it('checks retain labels for methods that train on the retain set, without asking for forget labels', async () => {
    const trainsOnRetain = { ...noopUnlearner(), needs: { retain: true, retainLabels: true } };
    const error = await unlearn(model, { forget: { x: data.x }, retain: { x: data.x } }, trainsOnRetain).catch((e: unknown) => e);
    expect(isUnlearnError(error, 'MISSING_LABELS')).toBe(true);
    expect((error as Error).message).toMatch(/labels on the retain set/);
    const ok = await unlearn(model, { forget: { x: data.x }, retain: data }, trainsOnRetain);
    (ok.model as LayersModel).dispose();
  });
});
