import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { isUnlearnError, unlearn, type BackendName } from '@unlearn/core';
import { loadModel, saveModel } from '@unlearn/core/node';
import { tinyClassifier, tinyCnn } from '@unlearn/core/testing';
import { afterEach, beforeEach, describe, expect, it, } from 'vitest';
import { withGuard, zeroShot } from '../examples/auto.js';
import { main as backends } from '../examples/backends.js';
import { main as benchmarkExample } from '../examples/benchmark.js';
import { scoreOne } from '../examples/evaluate.js';
import { main as functionModel } from '../examples/function-model.js';
import { main as jitExample } from '../examples/jit.js';
import { main as lfSsdExample } from '../examples/lf-ssd.js';
import { main as quickstart } from '../examples/quickstart.js';
import { main as registryExample } from '../examples/registry.js';
import { main as retrainExample } from '../examples/retrain.js';
import { main as saveLoad } from '../examples/save-load.js';
import { guarded, oneOff, withCache } from '../examples/ssd.js';
import { main as streaming } from '../examples/streaming.js';
import { main as threadsExample } from '../examples/threads.js';
import { predictProbabilities } from '@unlearn/eval';
import { jit } from '@unlearn/jit';
import { retrain } from '@unlearn/retrain';
import { byClass, trainedTask, weightsOf, type TrainedTask, useTrainedTask } from './helpers.js';

// Each docs example runs here on tiny models and synthetic data; the pages show the same files.
let task: TrainedTask;
useTrainedTask((t) => (task = t));

describe('docs examples', () => {
  // Users copy these: each example, with the results it hands back disposed, must free its tensors.
  let tensorsBefore = 0;
  beforeEach(() => {
    tensorsBefore = tf.memory().numTensors;
  });
  afterEach(() => {
    expect(tf.memory().numTensors).toBe(tensorsBefore);
  });

  it('auto: SSD searched within the guard, and JiT zero-shot, both leave the model alone', async () => {
    const forget = byClass(task.train, 0);
    const before = await weightsOf(task.model);
    // The tiny model's few parameters serve every class, so SSD cannot forget class 0 within a
    // 2-point guard: the example must say so and throw, with every trial's model freed.
    const refused = await withGuard(task.model, forget, task.train, task.test).catch((e: unknown) => e);
    expect(String(refused)).toMatch(/not forgotten: no trial of \d+ met forget accuracy <= 5\.0% with kept-class accuracy >= /);
    const shot = await zeroShot(task.model, forget.x);
    expect(shot.target.against).toBe('original-predictions');
    expect(shot.trials.length).toBeGreaterThan(0);
    shot.result?.model.dispose();
    expect(await weightsOf(task.model)).toBe(before);
    tf.dispose([forget.x, forget.y]);
  });

  it('quickstart: returns a changed copy and leaves the model alone', async () => {
    const model = tinyCnn({ size: 8, classes: 3 });
    const x = tf.randomUniform([6, 8, 8, 1], 0, 1, 'float32', 1);
    const before = await weightsOf(model);
    const result = await quickstart(model, x);
    expect(result.model).not.toBe(model);
    expect(result.method).toBe('jit');
    expect(await weightsOf(model)).toBe(before);
    expect(await weightsOf(result.model)).not.toBe(before);
    result.model.dispose();
    model.dispose();
    x.dispose();
  });

  it('backends: reports the backend it activated', async () => {
    const current = tf.getBackend() as BackendName;
    const choice = await backends({ backend: current });
    expect(choice.name).toBe(current);
    expect(tf.getBackend()).toBe(current);
  });

  it('jit: one SGD step per batch of forget inputs, deterministic under the seed', async () => {
    const model = tinyCnn({ size: 8, classes: 3 });
    const x = tf.randomUniform([10, 8, 8, 1], 0, 1, 'float32', 2);
    const options = { sigma: 0.2, lr: 0.01, nSamples: 3, batchSize: 4 };
    const a = await jitExample(model, x, options);
    const b = await jitExample(model, x, options);
    expect(a.details.steps).toBe(3);
    expect(await weightsOf(a.model)).toBe(await weightsOf(b.model));
    tf.dispose([x]);
    [a.model, b.model, model].forEach((m) => m.dispose());
  });

  it('ssd: the cached importances give the same model as the one-off run; the guard reports accuracy', async () => {
    const forget = byClass(task.train, 0);
    const options = { alpha: 1, batchSize: 16 };
    const once = await oneOff(task.model, forget, task.train, options);
    const cached = await withCache(task.model, forget, task.train, options);
    const checked = await guarded(task.model, forget, task.train, options);
    expect(once.details.selected).toBeGreaterThan(0);
    expect(await weightsOf(cached.model)).toBe(await weightsOf(once.model));
    expect(cached.details.importanceSource).toBe('cache');
    expect(checked.details.guard).toMatchObject({ accuracyBefore: expect.any(Number), accuracyAfter: expect.any(Number) });
    [once, cached, checked].forEach((r) => r.model.dispose());
    tf.dispose([forget.x, forget.y]);
  });

  it('ssd guard: refuses a collapse and leaves the model unchanged', async () => {
    // alpha 0 and lambda 0 zero every parameter the forget class has any gradient on. Class 2's
    // inputs are then left with all-zero logits, which argmax reads as class 0: a third of the
    // validation set goes wrong, far past the example's 5-point limit.
    const forget = byClass(task.train, 2);
    const before = await weightsOf(task.model);
    const error = await guarded(task.model, forget, task.train, { alpha: 0, lambda: 0, batchSize: 16 }).catch((e: unknown) => e);
    expect(isUnlearnError(error, 'UTILITY_COLLAPSE'), String(error)).toBe(true);
    expect(await weightsOf(task.model)).toBe(before);
    tf.dispose([forget.x, forget.y]);
  });

  it('lf-ssd: dampens parameters using inputs only', async () => {
    const forget = byClass(task.train, 1);
    const result = await lfSsdExample(task.model, forget.x, task.train.x, { alpha: 1, batchSize: 16 });
    expect(result.method).toBe('lf-ssd');
    expect(result.details.parameters).toBeGreaterThan(0);
    expect(result.details.selected).toBeGreaterThan(0);
    result.model.dispose();
    tf.dispose([forget.x, forget.y]);
  });

  it('threads: JiT and retrain run on two threads, and predictions match one thread', async () => {
    const forget = byClass(task.train, 2);
    const retain = byClass(task.train, 2, false);
    const { forgotten, retrained, probs } = await threadsExample(task.model, forget, retain, task.test);
    expect(forgotten.details.threads).toBe(2);
    expect(retrained.details.threads).toBe(2);
    const one = await predictProbabilities(retrained.model, task.test.x, { threads: 1 });
    Array.from(probs.values).forEach((v, i) => expect(v).toBeCloseTo(one.values[i]!, 6));
    [forgotten, retrained].forEach((r) => r.model.dispose());
    tf.dispose([forget.x, forget.y, retain.x, retain.y]);
  });

  it('retrain and finetune: both train on the retain set and change the weights', async () => {
    const forget = byClass(task.train, 2);
    const retain = byClass(task.train, 2, false);
    const before = await weightsOf(task.model);
    const { retrained, finetuned } = await retrainExample(task.model, forget, retain, {
      retrain: { epochs: 2, batchSize: 16 },
      finetune: { epochs: 1, batchSize: 16 },
    });
    expect(retrained.method).toBe('retrain');
    expect(finetuned.method).toBe('finetune');
    expect(await weightsOf(retrained.model)).not.toBe(before);
    expect(await weightsOf(finetuned.model)).not.toBe(before);
    [retrained, finetuned].forEach((r) => r.model.dispose());
    tf.dispose([forget.x, forget.y, retain.x, retain.y]);
  });

  it('registry: builds methods by name with typed options', async () => {
    const forget = byClass(task.train, 0);
    const viaJit = await registryExample(task.model, { forget }, 'jit');
    const viaSsd = await registryExample(task.model, { forget, train: task.train }, 'ssd');
    expect(viaJit.options).toMatchObject({ nSamples: 10 });
    expect(viaSsd.options).toMatchObject({ alpha: 5 });
    [viaJit, viaSsd].forEach((r) => r.model.dispose());
    tf.dispose([forget.x, forget.y]);
  });

  it('function model: unlearns a model that is not a LayersModel', async () => {
    const x = tf.randomNormal([5, 4], 0, 1, 'float32', 3) as tf.Tensor2D;
    const { model, result } = await functionModel(x);
    expect(result.model).not.toBe(model);
    expect(await weightsOf(result.model)).not.toBe(await weightsOf(model));
    tf.dispose([...model.variables, ...result.model.variables, x]);
  });

  it('streaming: reads the forget set batch by batch', async () => {
    const model = tinyClassifier({ inputDim: 4, classes: 3 });
    const reads: number[][] = [];
    const result = await streaming(model, 10, (start, end) => {
      reads.push([start, end]);
      return Float32Array.from({ length: (end - start) * 4 }, (_, i) => Math.sin(start + i));
    }, [4]);
    expect(reads).toEqual([[0, 4], [4, 8], [8, 10]]);
    expect(result.details.steps).toBe(3);
    result.model.dispose();
    model.dispose();
  });

  it('save-load: writes a model that loads back with the unlearned weights', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'unlearn-docs-'));
    try {
      const model = tinyCnn({ size: 8, classes: 3 });
      await saveModel(model, join(dir, 'model'));
      const x = tf.randomUniform([4, 8, 8, 1], 0, 1, 'float32', 4);
      const result = await saveLoad(join(dir, 'model'), join(dir, 'out'), () => ({ forget: { x } }));
      const reloaded = await loadModel(join(dir, 'out'));
      expect(await weightsOf(reloaded)).toBe(await weightsOf(result.model));
      expect(await weightsOf(reloaded)).not.toBe(await weightsOf(model));
      [model, result.model, reloaded].forEach((m) => m.dispose());
      x.dispose();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('evaluate: scores a method against a retrained reference', async () => {
    const data = { train: task.train, test: task.test };
    const forget = byClass(task.train, 1);
    const retain = byClass(task.train, 1, false);
    const { model: retrained } = await unlearn(task.model, { forget, retain }, retrain({ epochs: 3, batchSize: 16 }));
    const scores = await scoreOne(task.model, retrained, data, 1, jit({ sigma: 0.5, lr: 0.05, nSamples: 4, batchSize: 16 }));
    for (const key of ['retainTestAccuracy', 'forgetTestAccuracy', 'mia'] as const) {
      expect(scores[key]).toBeGreaterThanOrEqual(0);
      expect(scores[key]).toBeLessThanOrEqual(1);
    }
    expect(scores.jsToRetrained).toBeGreaterThanOrEqual(0);
    expect(scores.jsToRetrained).toBeLessThanOrEqual(Math.log(2));
    retrained.dispose();
    tf.dispose([forget.x, forget.y, retain.x, retain.y]);
  });

  it('benchmark: one table row per method plus the original and the reference', async () => {
    const big = await trainedTask({ classes: 4, nTrain: 160, nTest: 40 });
    try {
      const { report, markdown } = await benchmarkExample(
        big.model,
        { train: big.train, test: big.test },
        { jit: () => jit({ sigma: 0.5, lr: 0.05, nSamples: 3, batchSize: 32 }) },
        () => retrain({ epochs: 2, batchSize: 32 }),
        [0],
      );
      expect(report.scenarios.map((s) => s.rows.map((r) => r.role))).toEqual([
        ['original', 'reference', 'method'],
        ['original', 'reference', 'method'],
      ]);
      expect(report.timings.failedRuns).toBe(0);
      expect(markdown).toContain('jit');
    } finally {
      big.dispose();
    }
  });
});
