import * as tf from '@tensorflow/tfjs-core';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import { createRng, defineUnlearner, fromBatches, hashWeights, isUnlearnError, toModelAdapter, unlearn, type FunctionModel, type ModelAdapter } from '@unlearn/core';
import { syntheticClassification, tinyBatchNormClassifier, tinyClassifier } from '@unlearn/core/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { badTeacher, BAD_TEACHER_OPTIONS } from '../src/index.js';
import { retainSubset, runBadTeacher } from '../src/run.js';
import { expectUnlearnError as expectCode } from '@unlearn/core/vitest';

const data = syntheticClassification({ n: 40, inputDim: 8, classes: 3, seed: 4 });
const forget = { x: tf.slice(data.x, 0, 10) };
const retain = { x: tf.slice(data.x, 10, 30) };
afterAll(() => tf.dispose([data.x, data.y, forget.x, retain.x]));
const hash = (m: LayersModel) => hashWeights(toModelAdapter(m));


describe('bad-teacher options and presets', () => {
  it('defaults to the reference strategy files: 1 epoch, Adam 1e-4, batch 256, T 1, 30% of the retain set', () => {
    const o = badTeacher().options;
    expect(o).toMatchObject({ epochs: 1, optimizer: 'adam', learningRate: 1e-4, batchSize: 256, temperature: 1, retainFraction: 0.3, preset: 'reference' });
    expect(BAD_TEACHER_OPTIONS.presets.reference!.source).toMatch(/blindspot/);
  });

  it.each([
    [{ retainFraction: 1.5 }, /"retainFraction" must be a finite number >= 0 and <= 1/],
    [{ temperature: 0 }, /"temperature" must be a finite number > 0/],
    [{ epochs: 0 }, /"epochs"/],
    [{ optimizer: 'rmsprop' }, /"optimizer" must be one of 'adam', 'sgd'/],
    [{ teacher: 'random' }, /unknown option "teacher"/],
  ])('refuses %j before any work', async (options, message) => {
    const model = tinyClassifier({ inputDim: 8 });
    const before = await hash(model);
    await expectCode(unlearn(model, { forget, retain }, badTeacher(options as never), { inPlace: true }), 'INVALID_OPTION', message);
    expect(await hash(model)).toBe(before);
    model.dispose();
  });
});

describe('bad-teacher bad input', () => {
  it('refuses a request without a retain set, naming the split', async () => {
    const model = tinyClassifier({ inputDim: 8 });
    const err = await expectCode(unlearn(model, { forget }, badTeacher()), 'MISSING_DATA', /retain/);
    expect(err).toMatchObject({ split: 'retain', field: 'x' });
    model.dispose();
  });

  it('refuses streamed sets with UNSUPPORTED_REQUEST', async () => {
    const model = tinyClassifier({ inputDim: 8 });
    const stream = fromBatches(async function* () {
      yield { x: tf.clone(retain.x) };
    }, { size: 20, hasLabels: false });
    await expectCode(unlearn(model, { forget, retain: stream }, badTeacher()), 'UNSUPPORTED_REQUEST', /in memory/);
    model.dispose();
  });

  it('refuses a function model it cannot re-initialise, naming the init option', async () => {
    const w = tf.variable(tf.randomNormal([8, 3], 0, 0.1, 'float32', 1));
    const fm: FunctionModel = { apply: (x) => tf.matMul(x as tf.Tensor2D, w), variables: [w], clone: () => ({ apply: (x) => tf.matMul(x as tf.Tensor2D, w), variables: [w] }) };
    const error = await unlearn(fm, { forget, retain }, badTeacher()).catch((e: unknown) => e);
    expect(isUnlearnError(error, 'UNSUPPORTED_MODEL'), String(error)).toBe(true);
    w.dispose();
  });

  it('leaves an in-place model exactly as it was when training diverges, and frees every tensor', async () => {
    const model = tinyClassifier({ inputDim: 8 });
    const before = await hash(model);
    const tensors = tf.memory().numTensors;
    await expectCode(
      unlearn(model, { forget, retain }, badTeacher({ optimizer: 'sgd', learningRate: 1e38, batchSize: 4, retainFraction: 1 }), { inPlace: true }),
      'DIVERGED',
      /bad-teacher/,
    );
    expect(await hash(model)).toBe(before);
    expect(tf.memory().numTensors).toBe(tensors);
    model.dispose();
  });
});

describe('bad-teacher draws and targets', () => {
  it('samples floor(fraction · n) distinct retain rows, seeded', () => {
    const rows = retainSubset(20, 0.3, createRng(5));
    expect(rows).toHaveLength(6);
    expect(new Set(rows).size).toBe(6);
    expect(rows.every((r) => r >= 0 && r < 20)).toBe(true);
    expect(retainSubset(20, 0.3, createRng(5))).toEqual(rows);
    expect(retainSubset(20, 0.3, createRng(6))).not.toEqual(rows);
    expect(retainSubset(7, 0.3, createRng(1))).toHaveLength(2);
  });

  it('reports the split sizes and re-draws every variable of the incompetent teacher', async () => {
    const model = tinyClassifier({ inputDim: 8 });
    const result = await unlearn(model, { forget, retain }, badTeacher({ batchSize: 8 }), { seed: 2 });
    expect(result.details).toMatchObject({ forgetExamples: 10, retainExamples: 9, retainSize: 30, reinitializedVariables: 4, epochsRun: 1 });
    result.model.dispose();
    model.dispose();
  });

  it('an incompetent teacher equal to the original leaves the student (almost) where it is; a re-drawn one moves it', async () => {
    // With both teachers equal to the original, every target is the student's own starting output:
    // KL is 0 and the gradients are 0 up to float32 rounding (Σ p = 1 only to about 1e-7).
    const model = tinyClassifier({ inputDim: 8 });
    const options = badTeacher({ learningRate: 0.5, optimizer: 'sgd', batchSize: 8, epochs: 3 }).options;
    const moved = async (draws: Parameters<typeof runBadTeacher>[2]) => {
      const method = defineUnlearner({ name: 'bad-teacher', options, needs: { retain: true }, unlearn: async (ctx) => void (await runBadTeacher(ctx, options, draws)) });
      const result = await unlearn(model, { forget, retain }, method, { seed: 3 });
      const d = tf.tidy(() =>
        tf.max(tf.stack(toModelAdapter(result.model).trainable.map((v, i) => tf.max(tf.abs(tf.sub(v.variable, toModelAdapter(model).trainable[i]!.variable)))))).dataSync()[0]!,
      );
      result.model.dispose();
      return d;
    };
    expect(await moved({ incompetent: () => undefined })).toBeLessThan(1e-6);
    expect(await moved({})).toBeGreaterThan(1e-3);
    model.dispose();
  });
});

describe('bad-teacher with batch normalisation and dropout', () => {
  it('runs both teachers in inference mode and the student in training mode, whose moving statistics update', async () => {
    const model = tinyBatchNormClassifier({ seed: 3 });
    const options = badTeacher({ batchSize: 8, learningRate: 0.01 }).options;
    const modes: Record<string, boolean[]> = { incompetent: [], student: [] };
    const spy = (adapter: ModelAdapter, into: boolean[]) => {
      const logits = adapter.logits.bind(adapter);
      (adapter as { logits: ModelAdapter['logits'] }).logits = (x, o) => {
        into.push(o?.training === true);
        return logits(x, o);
      };
    };
    const method = defineUnlearner({
      name: 'bad-teacher',
      options,
      needs: { retain: true },
      unlearn: async (ctx) => {
        spy(ctx.model, modes.student!);
        const run = await runBadTeacher(ctx, options, {
          incompetent: async (teacher) => {
            spy(teacher, modes.incompetent!);
            // What reinitialize gives a batch-norm layer: moving mean 0 and variance 1.
            for (const v of teacher.variables) {
              if (v.name.endsWith('/moving_mean')) v.variable.assign(tf.zerosLike(v.variable));
              if (v.name.endsWith('/moving_variance')) v.variable.assign(tf.onesLike(v.variable));
            }
          },
        });
        return { details: run };
      },
    });
    const result = await unlearn(model, { forget, retain }, method, { seed: 1 });
    expect(modes.incompetent!.length).toBeGreaterThan(0);
    expect(modes.incompetent!.every((t) => !t)).toBe(true);
    expect(modes.student!.length).toBeGreaterThan(0);
    expect(modes.student!.every((t) => t)).toBe(true);
    expect(result.changes.filter((c) => !c.trainable).map((c) => c.changed)).toEqual([16, 16]);
    result.model.dispose();
    model.dispose();
  });
});
