import * as tf from '@tensorflow/tfjs-core';
import { toModelAdapter, topOneAccuracy } from '@unlearn/core';
import { describe, expect, it } from 'vitest';
import { builtinMetrics, defaultMetrics, evaluateRun, fullClass, measureModel, type MetricDefinition } from '../src/index.js';
import { toyProblem } from './helpers.js';

describe('measureModel', () => {
  it('gives the benchmark\'s values for every metric one model can produce, core\'s accuracy among them, and skips the others', async () => {
    const toy = toyProblem();
    const splits = await fullClass(0).split(toy.data, 0);
    const model = toModelAdapter(toy.model);
    const { values, skipped } = await measureModel(model, splits);
    const run = await evaluateRun({ metrics: defaultMetrics.filter((m) => m.id in values), data: toy.data, splits, models: { model }, timeMs: Number.NaN, retrainTimeMs: undefined });
    expect(values).toEqual(run);
    expect(Object.keys(values)).toEqual(['retainTestAcc', 'forgetTestAcc', 'forgetTrainAcc', 'retainTrainAcc', 'testAcc', 'mia']);
    expect(skipped).toEqual(['jsToRetrain', 'activationDistance', 'zrf', 'timeMs', 'speedUp']);
    // One accuracy definition: eval's (top class of the softmax rows) and core's (of the logits) agree.
    for (const id of ['forgetTrainAcc', 'retainTestAcc'] as const) {
      const split = splits[id === 'forgetTrainAcc' ? 'forgetTrain' : 'retainTest'];
      expect(await topOneAccuracy(model, { x: split.x, y: split.y })).toBe(values[id]);
    }
    splits.dispose();
    toy.dispose();
  });

  it('leaves out a metric whose split, or whose split\'s labels, it was not given; a metric added to the list is measured', async () => {
    const toy = toyProblem();
    const model = toModelAdapter(toy.model);
    const meanTop: MetricDefinition = {
      id: 'meanTop',
      label: 'mean top probability',
      description: 'Mean largest softmax output on Df.',
      unit: 'score',
      better: 'lower',
      needsRetrained: false,
      async compute(ctx) {
        const p = await ctx.probabilities('model', 'forgetTrain');
        let sum = 0;
        for (let i = 0; i < p.n; i++) sum += Math.max(...p.values.subarray(i * p.classes, (i + 1) * p.classes));
        return sum / p.n;
      },
    };
    const metrics = [builtinMetrics.forgetTrainAcc, builtinMetrics.retainTrainAcc, builtinMetrics.testAcc, builtinMetrics.mia, meanTop];
    const before = tf.memory().numTensors;
    const { values, skipped } = await measureModel(model, { forgetTrain: { x: toy.data.train.x }, retainTrain: toy.data.train, test: { x: toy.data.test.x } }, { metrics });
    expect(Object.keys(values)).toEqual(['retainTrainAcc', 'mia', 'meanTop']);
    expect(skipped).toEqual(['forgetTrainAcc', 'testAcc']);
    expect(values.meanTop).toBeGreaterThan(1 / 3);
    expect(tf.memory().numTensors).toBe(before);
    toy.dispose();
  });
});
