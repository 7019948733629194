import * as tf from '@tensorflow/tfjs-core';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import { defineUnlearner, hashWeights, toModelAdapter, unlearn, type ModelAdapter } from '@unlearn/core';
import { syntheticClassification, tinyBatchNormClassifier, tinyClassifier } from '@unlearn/core/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { learningRateOfEpoch, scrub, SCRUB_PRESETS } from '../src/index.js';
import { closestEpoch } from '../src/rewind.js';
import { runScrub } from '../src/run.js';
import { expectUnlearnError as expectCode } from '@unlearn/core/vitest';

const data = syntheticClassification({ n: 60, inputDim: 8, classes: 3, seed: 4 });
// Forget: 12 examples of class 0; validation: 6 more of class 0 (the forget set's distribution).
const classes = Array.from(data.y.dataSync());
const rows = (pick: (c: number, i: number) => boolean) => tf.tensor1d(classes.flatMap((c, i) => (pick(c, i) ? [i] : [])), 'int32');
const forgetRows = rows((c, i) => c === 0 && i < 36);
const validationRows = rows((c, i) => c === 0 && i >= 36);
const retainRows = rows((c) => c !== 0);
const take = (r: tf.Tensor1D) => ({ x: tf.gather(data.x, r), y: tf.gather(data.y, r) });
const forget = take(forgetRows);
const validation = take(validationRows);
const retain = take(retainRows);
afterAll(() => tf.dispose([data.x, data.y, forgetRows, validationRows, retainRows, forget.x, forget.y, validation.x, validation.y, retain.x, retain.y]));
const hash = (m: LayersModel) => hashWeights(toModelAdapter(m));


describe('scrub options and presets', () => {
  it('defaults to the reference full-class port; the sub-class preset changes only alpha and gamma', () => {
    expect(scrub().options).toMatchObject({ epochs: 3, maxSteps: 2, temperature: 4, optimizer: 'sgd', learningRate: 5e-4, momentum: 0.9, weightDecay: 5e-4, alpha: 0.001, gamma: 0.99, clipGradNorm: 1, batchSize: 128, rewind: false });
    const sub = scrub({ preset: 'reference-subclass' }).options;
    expect(sub).toMatchObject({ alpha: 1, gamma: 5, clipGradNorm: 0, epochs: 3, maxSteps: 2, temperature: 4, learningRate: 5e-4 });
    expect(SCRUB_PRESETS['reference-subclass'].source).toMatch(/scrub_alpha 1, scrub_gamma 5/);
  });

  it('decays the learning rate once per milestone passed, epochs counted from 1', () => {
    const o = { learningRate: 1, lrDecayEpochs: [2, 4], lrDecayRate: 0.1 };
    expect([1, 2, 3, 4, 5].map((e) => learningRateOfEpoch(o, e))).toEqual([1, 1, 0.1, 0.1, 0.1 * 0.1]);
  });

  it.each([
    [{ maxSteps: 4, epochs: 3 }, /"maxSteps" must be at most epochs \(3\)/],
    [{ temperature: 0 }, /"temperature" must be a finite number > 0/],
    [{ alpha: -1 }, /"alpha"/],
    [{ lrDecayEpochs: [1.5] }, /"lrDecayEpochs"/],
    [{ msteps: 2 }, /unknown option "msteps"/],
  ])('refuses %j before any work', async (options, message) => {
    const model = tinyClassifier({ inputDim: 8 });
    const before = await hash(model);
    await expectCode(unlearn(model, { forget, retain }, scrub(options as never), { inPlace: true }), 'INVALID_OPTION', message);
    expect(await hash(model)).toBe(before);
    model.dispose();
  });

  it('its strength knob keeps the min-only epochs after the max-steps', () => {
    const knob = scrub().strength!;
    expect(knob.at(5).options).toMatchObject({ maxSteps: 5, epochs: 6 });
  });
});

describe('scrub bad input', () => {
  it('refuses a missing or unlabelled retain set', async () => {
    const model = tinyClassifier({ inputDim: 8 });
    await expectCode(unlearn(model, { forget }, scrub()), 'MISSING_DATA', /retain/);
    await expectCode(unlearn(model, { forget, retain: { x: retain.x } }, scrub()), 'MISSING_LABELS', /retain/);
    model.dispose();
  });

  it('rewind needs a labelled validation set and forget labels', async () => {
    const model = tinyClassifier({ inputDim: 8 });
    await expectCode(unlearn(model, { forget, retain }, scrub({ rewind: true })), 'MISSING_DATA', /request\.validation/);
    await expectCode(unlearn(model, { forget, retain, validation: { x: validation.x } }, scrub({ rewind: true })), 'MISSING_LABELS', /validation\.y/);
    await expectCode(unlearn(model, { forget: { x: forget.x }, retain, validation }, scrub({ rewind: true })), 'MISSING_LABELS', /forget\.y/);
    model.dispose();
  });

  it('leaves an in-place model exactly as it was when training diverges, and frees every tensor', async () => {
    const model = tinyClassifier({ inputDim: 8 });
    const before = await hash(model);
    const tensors = tf.memory().numTensors;
    await expectCode(unlearn(model, { forget, retain }, scrub({ learningRate: 1e38, batchSize: 8, forgetBatchSize: 8, preset: 'reference-subclass' }), { inPlace: true }), 'DIVERGED', /scrub/);
    expect(await hash(model)).toBe(before);
    expect(tf.memory().numTensors).toBe(tensors);
    model.dispose();
  });
});

describe('scrub run', () => {
  const fast = { learningRate: 0.05, batchSize: 8, forgetBatchSize: 8, preset: 'reference-subclass' } as const;

  it('raises the forget-set KL in its max-steps and reports both phases per epoch', async () => {
    const model = tinyClassifier({ inputDim: 8 });
    const result = await unlearn(model, { forget, retain }, scrub({ ...fast, epochs: 4, maxSteps: 3 }), { seed: 2 });
    const run = result.details;
    expect(run.epochs.map((e) => e.maxLoss === null)).toEqual([false, false, false, true]);
    // The max-step loss is −KL: it falls as the student leaves the teacher on Df.
    expect(run.epochs[2]!.maxLoss!).toBeLessThan(run.epochs[0]!.maxLoss!);
    expect(run.rewind).toBeNull();
    result.model.dispose();
    model.dispose();
  });

  it('SCRUB+R picks the epoch whose forget error is closest to the validation error, with that epoch\'s weights', async () => {
    const model = tinyClassifier({ inputDim: 8 });
    const request = { forget, retain, validation };
    const result = await unlearn(model, request, scrub({ ...fast, epochs: 4, maxSteps: 2, rewind: true }), { seed: 5 });
    const run = result.details;
    const errors = run.epochs.map((e) => e.forgetError!);
    expect(errors.every((e) => e >= 0 && e <= 1)).toBe(true);
    const k = run.rewind!.chosenEpoch;
    expect(k).toBe(closestEpoch(errors, run.rewind!.validationError) + 1);
    // Every (epoch, phase) has its own shuffle generator, so a run cut after epoch k has the same weights.
    const cut = await unlearn(model, request, scrub({ ...fast, epochs: k, maxSteps: Math.min(2, k) }), { seed: 5 });
    expect(await hash(result.model as LayersModel)).toBe(await hash(cut.model as LayersModel));
    result.model.dispose();
    cut.model.dispose();
    model.dispose();
  });

  it('closestEpoch breaks ties towards the later epoch', () => {
    expect(closestEpoch([0.1, 0.5, 0.9], 0.45)).toBe(1);
    expect(closestEpoch([0.2, 0.6, 0.2], 0.2)).toBe(2);
    expect(closestEpoch([0.3, 0.5], 0.4)).toBe(1);
  });
});

describe('scrub with batch normalisation and dropout', () => {
  it('runs the teacher in inference mode and the student in training mode, whose moving statistics update', async () => {
    const model = tinyBatchNormClassifier({ seed: 3 });
    const options = scrub({ learningRate: 0.01, batchSize: 8, forgetBatchSize: 8, epochs: 2, maxSteps: 1 }).options;
    const modes: Record<'teacher' | 'student', boolean[]> = { teacher: [], student: [] };
    const spy = (adapter: ModelAdapter, into: boolean[]) => {
      const logits = adapter.logits.bind(adapter);
      (adapter as { logits: ModelAdapter['logits'] }).logits = (x, o) => {
        into.push(o?.training === true);
        return logits(x, o);
      };
    };
    const method = defineUnlearner({
      name: 'scrub',
      options,
      needs: { retain: true, retainLabels: true },
      unlearn: async (ctx) => {
        // runScrub's only clone of the student is its teacher.
        const clone = ctx.model.clone.bind(ctx.model);
        (ctx.model as { clone: ModelAdapter['clone'] }).clone = async () => {
          const teacher = await clone();
          spy(teacher, modes.teacher);
          return teacher;
        };
        spy(ctx.model, modes.student);
        await runScrub(ctx, options);
      },
    });
    const result = await unlearn(model, { forget, retain }, method, { seed: 1 });
    expect(modes.teacher.length).toBeGreaterThan(0);
    expect(modes.teacher.every((t) => !t)).toBe(true);
    expect(modes.student.length).toBeGreaterThan(0);
    expect(modes.student.every((t) => t)).toBe(true);
    expect(result.changes.filter((c) => !c.trainable).map((c) => c.changed)).toEqual([16, 16]);
    result.model.dispose();
    model.dispose();
  });
});
