import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { StrengthSchedule } from '../src/auto/schedule.js';
import { conformanceChecks } from '../src/testing/checks.js';
import {
  autoUnlearn,
  createRng,
  defineUnlearner,
  hashWeights,
  isUnlearnError,
  noopUnlearner,
  toModelAdapter,
  UnlearnError,
  type Unlearner,
} from '../src/index.js';

/**
 * A 3-class linear model that classifies x = 3·e_c + noise perfectly, and a toy method whose
 * strength s lowers class 0's output bias by s (forgetting class 0) and, past s = 4, raises
 * class 1's by s − 4 (stealing class 2's samples: the utility cost the guard must catch).
 */
function linearModel(): LayersModel {
  const model = tfl.sequential({ layers: [tfl.layers.dense({ inputShape: [3], units: 3 })] });
  model.setWeights([tf.eye(3).mul(1), tf.zeros([3])]);
  return model;
}

function blobs(n: number, classes: number[], seed: number): { x: tf.Tensor2D; y: tf.Tensor1D } {
  const rng = createRng(seed);
  const x: number[] = [];
  const y: number[] = [];
  for (let i = 0; i < n; i++) {
    const c = classes[i % classes.length]!;
    for (let d = 0; d < 3; d++) x.push((d === c ? 3 : 0) + rng.normal() * 0.8);
    y.push(c);
  }
  return { x: tf.tensor2d(x, [n, 3]), y: tf.tensor1d(y, 'int32') };
}

interface ShiftOptions {
  shift: number;
  /** Strengths above this throw, as a learning rate that overflows would. */
  breaksAbove?: number;
}

function biasShift(options: Partial<ShiftOptions> = {}): Unlearner<ShiftOptions> {
  const o: ShiftOptions = { shift: options.shift ?? 0.5, ...(options.breaksAbove !== undefined ? { breaksAbove: options.breaksAbove } : {}) };
  return defineUnlearner({
    name: 'bias-shift',
    options: o,
    needs: {},
    strength: { option: 'shift', direction: 'increasing', weakest: 0.5, strongest: 16, factor: 2, at: (shift) => biasShift({ ...o, shift }) },
    async unlearn(ctx) {
      if (o.breaksAbove !== undefined && o.shift > o.breaksAbove) throw new UnlearnError('NON_FINITE', `shift ${o.shift} overflowed`);
      const bias = ctx.model.trainable.find((v) => v.name.includes('bias'))!.variable;
      tf.tidy(() => bias.assign(bias.add(tf.tensor1d([-o.shift, Math.max(0, o.shift - 4), 0]))));
    },
  });
}

let model: LayersModel;
let forget: { x: tf.Tensor2D; y: tf.Tensor1D };
let validation: { x: tf.Tensor2D; y: tf.Tensor1D };
beforeEach(() => {
  model = linearModel();
  forget = blobs(60, [0], 1);
  validation = blobs(90, [0, 1, 2], 2);
});
afterEach(() => {
  model.dispose();
  tf.dispose([forget.x, forget.y, validation.x, validation.y]);
});

describe('StrengthSchedule', () => {
  const run = (knob: ConstructorParameters<typeof StrengthSchedule>[0], meets: (v: number) => boolean | 'fail') => {
    const s = new StrengthSchedule(knob);
    const tried: number[] = [];
    for (let level = s.next(); level !== undefined && tried.length < 20; level = s.next()) {
      const v = s.valueAt(level);
      tried.push(v);
      const m = meets(v);
      s.record(level, m === 'fail' ? 'failed' : m ? 'met' : 'weak');
    }
    return tried;
  };

  it('steps geometrically from the weakest value, then bisects towards the weakest that meets the target', () => {
    const tried = run({ weakest: 1, strongest: 64, factor: 2 }, (v) => v >= 5);
    expect(tried.slice(0, 4)).toEqual([1, 2, 4, 8]);
    // Bisection in log space between 4 and 8 until the bracket is under a quarter step.
    expect(tried.slice(4)).toEqual([2 ** 2.5, 2 ** 2.25, 2 ** 2.375]);
  });

  it('counts down for a decreasing knob and snaps integer knobs, trying each value once', () => {
    expect(run({ weakest: 64, strongest: 1, factor: 2 }, (a) => a <= 3).slice(0, 6)).toEqual([64, 32, 16, 8, 4, 2]);
    const epochs = run({ weakest: 1, strongest: 32, factor: 2, integer: true }, (e) => e >= 6);
    expect(epochs).toEqual([1, 2, 4, 8, 6, 5]);
  });

  it('stops at the strongest value, and treats a failed trial as an upper bound', () => {
    expect(run({ weakest: 1, strongest: 10, factor: 2 }, () => false)).toEqual([1, 2, 4, 8, 10]);
    const tried = run({ weakest: 1, strongest: 64, factor: 2 }, (v) => (v >= 8 ? 'fail' : v >= 6));
    expect(tried.slice(0, 5)).toEqual([1, 2, 4, 8, 2 ** 2.5]);
  });

  it('ends at once when the weakest value already meets the target or breaks the guard', () => {
    expect(run({ weakest: 1, strongest: 64 }, () => true)).toEqual([1]);
    const s = new StrengthSchedule({ weakest: 1, strongest: 64 });
    s.record(s.next()!, 'damaging');
    expect(s.next()).toBeUndefined();
  });

  it('bisects below a trial that broke the guard, towards the strongest the guard admits', () => {
    // Guard breaks from 5 up, the target would need 20: the edge to find is the guard's.
    const s = new StrengthSchedule({ weakest: 1, strongest: 64, factor: 2 });
    const tried: number[] = [];
    for (let level = s.next(); level !== undefined; level = s.next()) {
      const v = s.valueAt(level);
      tried.push(v);
      s.record(level, v >= 5 ? 'damaging' : 'weak');
    }
    expect(tried).toEqual([1, 2, 4, 8, 2 ** 2.5, 2 ** 2.25, 2 ** 2.375]);
  });
});

describe('autoUnlearn', () => {
  it('[bad input] a validation set all of the class being forgotten → EMPTY_DATASET located at validation (no kept-class sample to guard), before any trial', async () => {
    const model = linearModel();
    const forget = blobs(6, [0], 1);
    const validation = blobs(6, [0], 2);
    const error = await autoUnlearn(model, { forget, validation }, biasShift()).catch((e: unknown) => e);
    expect(isUnlearnError(error, 'EMPTY_DATASET'), String(error)).toBe(true);
    expect([(error as UnlearnError).split, (error as UnlearnError).field]).toEqual(['validation', 'x']);
    tf.dispose([forget.x, forget.y, validation.x, validation.y]);
    model.dispose();
  });

  it('finds the weakest strength that forgets a class within the guard, on copies, and reports every trial', async () => {
    const before = await hashWeights(toModelAdapter(model));
    const tensors = tf.memory().numTensors;
    const progress: number[] = [];
    const auto = await autoUnlearn(model, { forget, validation }, biasShift(), { onTrial: (t) => progress.push(t.strength) });
    expect(await hashWeights(toModelAdapter(model))).toBe(before);
    expect(auto.target).toMatchObject({ forgetAccuracy: 0.05, source: 'one-class', against: 'labels' });
    expect(auto.target.before).toBeGreaterThan(0.95);
    expect(auto.guard).toMatchObject({ excludedClasses: [0], samples: 60, maxRetainDrop: 0.02 });
    expect(auto.trials.map((t) => t.strength)).toEqual(progress);
    expect(progress.slice(0, 3)).toEqual([0.5, 1, 2]);
    expect(auto.satisfied).toBe(true);
    const chosen = auto.trials[auto.chosen!]!;
    expect(chosen.metTarget && chosen.admissible).toBe(true);
    expect(chosen.forgetAccuracy).toBeLessThanOrEqual(0.05);
    // Every trial that met the target and kept the guard is no more accurate on the kept classes.
    for (const t of auto.trials.filter((x) => x.metTarget && x.admissible)) expect(t.guardAccuracy!).toBeLessThanOrEqual(chosen.guardAccuracy!);
    // Trials past 4 steal class 2 and are rejected by the guard.
    for (const t of auto.trials.filter((x) => x.strength > 6)) expect(t.admissible).toBe(false);
    expect(auto.reason).toMatch(/^shift .* met forget accuracy <= 5\.0% with kept-class accuracy >= /);
    expect(auto.result!.model).not.toBe(model);
    expect(auto.result!.options.shift).toBe(chosen.strength);
    auto.result!.model.dispose();
    expect(tf.memory().numTensors).toBe(tensors);
  });

  it('zero-shot (no labels, no validation): measures against the original predictions and keeps the weakest that meets the target', async () => {
    const auto = await autoUnlearn(model, { forget: { x: forget.x } }, biasShift());
    expect(auto.target.against).toBe('original-predictions');
    expect(auto.guard).toBeUndefined();
    const met = auto.trials.filter((t) => t.metTarget).map((t) => t.strength);
    expect(auto.trials[auto.chosen!]!.strength).toBe(Math.min(...met));
    expect(auto.reason).toMatch(/is the weakest tried that met/);
    auto.result!.model.dispose();
  });

  it('says plainly when no trial meets the target, keeps the trial that forgot most, and leaves the model as it was', async () => {
    const before = await hashWeights(toModelAdapter(model));
    const auto = await autoUnlearn(model, { forget, validation }, biasShift(), { targetForgetAccuracy: 0, maxTrials: 3 });
    expect(await hashWeights(toModelAdapter(model))).toBe(before);
    expect(auto.trials).toHaveLength(3);
    expect(auto.target).toMatchObject({ forgetAccuracy: 0, source: 'given' });
    expect(auto.satisfied).toBe(false);
    expect(auto.trials[auto.chosen!]!.strength).toBe(2);
    expect(auto.reason).toMatch(/no trial of 3 met .* is NOT a completed deletion/);
    auto.result!.model.dispose();
  });

  it('records a trial that throws and searches below it', async () => {
    const auto = await autoUnlearn(model, { forget }, biasShift({ breaksAbove: 1.5 }));
    expect(auto.trials.find((t) => t.strength === 2)?.error).toMatch(/overflowed/);
    expect(auto.trials.every((t) => t.strength <= 2)).toBe(true);
    expect(auto.satisfied).toBe(false);
    auto.result?.model.dispose();
  });

  it('needs a target for a forget set of several classes without a validation set, and a declared strength', async () => {
    const mixed = blobs(12, [0, 1], 3);
    await expect(autoUnlearn(model, { forget: mixed }, biasShift())).rejects.toThrow(/spans 2 classes, so there is no default target/);
    await expect(autoUnlearn(model, { forget }, noopUnlearner())).rejects.toThrow(/noop declares no strength/);
    await expect(autoUnlearn(model, { forget }, biasShift(), { maxRetainDrop: 2 })).rejects.toThrow(/"maxRetainDrop" must be a fraction/);
    const withMixed = await autoUnlearn(model, { forget: mixed, validation }, biasShift(), { maxTrials: 2 });
    expect(withMixed.target.source).toBe('validation');
    expect(withMixed.guard?.excludedClasses).toEqual([]);
    withMixed.result?.model.dispose();
    tf.dispose([mixed.x, mixed.y]);
  });

  it('[bad input] autoUnlearn with seed NaN, -3 or 0.5 → INVALID_OPTION before any trial; no tensor leaked', async () => {
    const tensors = tf.memory().numTensors;
    for (const seed of [Number.NaN, -3, 0.5]) {
      const error = await autoUnlearn(model, { forget, validation }, biasShift(), { seed }).catch((e: unknown) => e);
      expect(isUnlearnError(error, 'INVALID_OPTION'), String(error)).toBe(true);
      expect((error as Error).message).toMatch(/seed/);
    }
    expect(tf.memory().numTensors).toBe(tensors);
  });

  it('an abort mid-search throws ABORTED, frees every trial and leaves the model as it was', async () => {
    const before = await hashWeights(toModelAdapter(model));
    const tensors = tf.memory().numTensors;
    const controller = new AbortController();
    const error = await autoUnlearn(model, { forget, validation }, biasShift(), {
      signal: controller.signal,
      onTrial: (_t, i) => i === 1 && controller.abort('user'),
    }).catch((e: unknown) => e);
    expect(isUnlearnError(error, 'ABORTED')).toBe(true);
    expect(await hashWeights(toModelAdapter(model))).toBe(before);
    expect(tf.memory().numTensors).toBe(tensors);
  });
});

describe('conformance of a declared strength', () => {
  const fixture = () => ({ model: linearModel(), request: { forget: blobs(12, [0], 4) }, dispose() {} });
  const strengthCheck = (create: () => Unlearner) =>
    conformanceChecks({ create, fixture }).find((c) => c.name.startsWith('its declared strength'))!;

  it('passes a knob that changes the weights more as it grows, and fails one declared backwards', async () => {
    await strengthCheck(() => biasShift()).run();
    const backwards = (): Unlearner<ShiftOptions> => {
      const inner = biasShift();
      return { ...inner, strength: { ...inner.strength!, at: (v) => ({ ...biasShift({ shift: 16 / v }), options: { shift: v } }) } };
    };
    await expect(strengthCheck(backwards).run()).rejects.toThrow(/changed the weights less than/);
  });
});
