import * as tf from '@tensorflow/tfjs-core';
import { fromBatches, toModelAdapter, unlearn, type FunctionModel } from '@unlearn/core';
import { syntheticClassification, tinyClassifier } from '@unlearn/core/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { finetune, retrain } from '../src/index.js';
import { expectCode, hash } from './helpers.js';

const data = syntheticClassification({ n: 48, inputDim: 4, classes: 3, seed: 5 });
const forget = syntheticClassification({ n: 6, inputDim: 4, classes: 3, seed: 6 });
afterAll(() => tf.dispose([data.x, data.y, forget.x, forget.y]));

describe('bad input is refused before any work, leaving the model as it was', () => {
  it('a missing retain set', async () => {
    const model = tinyClassifier({ inputDim: 4 });
    await expectCode(unlearn(model, { forget }, retrain()), 'MISSING_DATA', /retain set \(request\.retain\)/);
    await expectCode(unlearn(model, { forget }, finetune()), 'MISSING_DATA', /retain/);
    model.dispose();
  });

  it('an empty retain set', async () => {
    const model = tinyClassifier({ inputDim: 4 });
    const empty = { x: tf.zeros([0, 4]), y: tf.zeros([0], 'int32') };
    await expectCode(unlearn(model, { forget, retain: empty }, retrain()), 'EMPTY_DATASET', /retain set is empty/);
    tf.dispose([empty.x, empty.y]);
    model.dispose();
  });

  it('a retain set without labels', async () => {
    const model = tinyClassifier({ inputDim: 4 });
    const before = await hash(model);
    await expectCode(unlearn(model, { forget, retain: { x: data.x } }, retrain(), { inPlace: true }), 'MISSING_LABELS', /retain\.y/);
    const stream = fromBatches(async function* () {}, { size: 4, hasLabels: false });
    await expectCode(unlearn(model, { forget, retain: stream }, finetune(), { inPlace: true }), 'MISSING_LABELS', /retain/);
    expect(await hash(model)).toBe(before);
    model.dispose();
  });

  it.each([
    [{ epochs: 0 }, /"epochs" must be an integer >= 1 \(got 0\)/],
    [{ epochs: 2.5 }, /"epochs"/],
    [{ batchSize: 0 }, /"batchSize"/],
    [{ learningRate: -1 }, /"learningRate" must be a finite number > 0/],
    [{ learningRate: Number.NaN }, /"learningRate"/],
    [{ momentum: 1 }, /"momentum" must be a finite number >= 0 and < 1/],
    [{ weightDecay: -0.1 }, /"weightDecay"/],
    [{ optimizer: 'rmsprop' }, /"optimizer" must be one of 'sgd', 'adam'/],
    [{ reinit: 'middle' }, /"reinit" must be one of 'all', 'head'/],
    [{ epoch: 3 }, /unknown option "epoch"; did you mean "epochs"\?/],
    [{ preset: 'r1-cifar10' }, /"preset" must be one of 'mnist-cnn', 'r1-cifar100-cnn'.* \(did you mean 'r1-cifar10-cnn'\?\)/],
    [{ schedule: { kind: 'multistep', milestones: [5, 3] } }, /"schedule.milestones" must be strictly increasing/],
    [{ schedule: { kind: 'multistep', milestones: [3], warmupEpochs: 20 } }, /"schedule.warmupEpochs"/],
    [{ schedule: { kind: 'cosine' } }, /"schedule.kind"/],
    [{ patience: 0 }, /"patience"/],
    [{ resume: true }, /"resume" must be used together with checkpointDir or checkpointStore/],
  ])('an invalid option %j', async (options, message) => {
    const model = tinyClassifier({ inputDim: 4 });
    await expectCode(unlearn(model, { forget, retain: data }, retrain(options as never)), 'INVALID_OPTION', message);
    model.dispose();
  });

  it('early stopping without a labelled validation set', async () => {
    const model = tinyClassifier({ inputDim: 4 });
    // Located, so the CLI can name the flag to pass (--eval-data, --eval-labels) without reading the message.
    const missing = await expectCode(unlearn(model, { forget, retain: data }, retrain({ patience: 2 })), 'MISSING_DATA', /validation set/);
    expect(missing).toMatchObject({ split: 'validation', field: 'x' });
    const unlabelled = await expectCode(unlearn(model, { forget, retain: data, validation: { x: data.x } }, retrain({ patience: 2 })), 'MISSING_LABELS', /validation/);
    expect(unlabelled).toMatchObject({ split: 'validation', field: 'y' });
    model.dispose();
  });

  it('a schedule that needs the epoch length on a stream of unknown size', async () => {
    const model = tinyClassifier({ inputDim: 4 });
    const stream = fromBatches(async function* () {}, { hasLabels: true });
    await expectCode(unlearn(model, { forget, retain: stream }, retrain({ schedule: { kind: 'onecycle' } })), 'INVALID_OPTION', /onecycle schedule needs the retain set's size/);
    model.dispose();
  });
});

describe('a learning rate that makes the loss NaN', () => {
  it.each([['retrain', retrain], ['finetune', finetune]] as const)('%s stops with DIVERGED naming the epoch, batch and a smaller rate; the model is unchanged', async (_, make) => {
    const model = tinyClassifier({ inputDim: 4 });
    const before = await hash(model);
    const leakBase = tf.memory().numTensors;
    const method = make({ epochs: 3, batchSize: 8, optimizer: 'sgd', learningRate: 1e30, momentum: 0, checkEvery: 2 });
    const error = await expectCode(unlearn(model, { forget, retain: data }, method, { inPlace: true }), 'DIVERGED');
    expect(error.message).toMatch(/loss became (NaN|Infinity) at epoch 1, batch \d+ \(learning rate 1e\+30\)/);
    expect(error.message).toMatch(/try a smaller learningRate than 1e\+30/);
    expect(await hash(model)).toBe(before);
    expect(tf.memory().numTensors).toBe(leakBase);
    const copy = await expectCode(unlearn(model, { forget, retain: data }, method), 'DIVERGED');
    expect(copy.message).toMatch(/epoch 1/);
    expect(await hash(model)).toBe(before);
    model.dispose();
  });
});

describe('function models', () => {
  function linearModel(withInit: boolean): FunctionModel & { inits: number[] } {
    const w = tf.variable(tf.zeros([4, 3]));
    const b = tf.variable(tf.zeros([3]));
    const inits: number[] = [];
    return {
      inits,
      variables: [w, b],
      apply: (x) => tf.add(tf.matMul(x as tf.Tensor2D, w), b),
      inputShape: [4],
      numClasses: 3,
      ...(withInit
        ? {
            init(seed: number) {
              inits.push(seed);
              w.assign(tf.randomUniform([4, 3], -0.5, 0.5, 'float32', seed));
              b.assign(tf.zeros([3]));
            },
          }
        : {}),
    };
  }

  it('without init(seed) or an init option: UNSUPPORTED_MODEL up front, nothing changed', async () => {
    const model = linearModel(false);
    const before = await toModelAdapter(model).variables[0]!.variable.data();
    await expectCode(unlearn(model, { forget, retain: data }, retrain(), { inPlace: true }), 'UNSUPPORTED_MODEL', /init\(seed\)/);
    await expectCode(unlearn(model, { forget, retain: data }, retrain({ reinit: 'head' }), { inPlace: true }), 'UNSUPPORTED_MODEL', /head.*init option/);
    expect(await toModelAdapter(model).variables[0]!.variable.data()).toEqual(before);
    toModelAdapter(model).dispose();
  });

  it("with init(seed): re-initialised from a seed derived from the run's seed, then trained", async () => {
    const runs: number[][] = [];
    for (let i = 0; i < 2; i++) {
      const model = linearModel(true);
      const result = await unlearn(model, { forget, retain: data }, retrain({ epochs: 2, batchSize: 16, learningRate: 0.05 }), { inPlace: true, seed: 4 });
      expect(model.inits).toHaveLength(1);
      expect(result.changes.every((c) => c.changed > 0)).toBe(true);
      runs.push([...model.inits, ...(await model.variables[0]!.data())]);
      toModelAdapter(model).dispose();
    }
    expect(runs[0]).toEqual(runs[1]);
  });

  it('finetune needs no init', async () => {
    const model = linearModel(false);
    const result = await unlearn(model, { forget, retain: data }, finetune({ epochs: 1, batchSize: 16 }), { inPlace: true });
    expect(result.changes.some((c) => c.changed > 0)).toBe(true);
    toModelAdapter(model).dispose();
  });
});
