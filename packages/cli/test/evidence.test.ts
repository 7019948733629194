import * as tf from '@tensorflow/tfjs-core';
import { toModelAdapter, topOneAccuracy } from '@unlearn/core';
import { syntheticClassification, tinyClassifier } from '@unlearn/core/testing';
import { accuracy, defaultMetrics, type MetricDefinition } from '@unlearn/eval';
import { describe, expect, it } from 'vitest';
import { evidencePairs, measure } from '../src/evidence.js';
import { renderRecordMarkdown, type DeletionRecord } from '../src/record.js';

/** A metric eval does not have: the mean top softmax output on the forget set. */
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

describe('the evidence of unlearn forget', () => {
  it('is measured by eval\'s metric definitions: its accuracies are core\'s and eval\'s, and a metric added to the list reaches the record and its Markdown', async () => {
    const all = syntheticClassification({ n: 60, inputDim: 8, classes: 3, seed: 3, spread: 1.2 });
    const [forget, retain, evaluation] = [0, 20, 40].map((start) => ({ x: tf.slice(all.x, start, 20), y: tf.slice(all.y, start, 20) as tf.Tensor1D }));
    const model = toModelAdapter(tinyClassifier({ inputDim: 8, classes: 3, seed: 4 }));
    const data = { forget: forget!, retain: retain!, evaluation: evaluation! };
    const { evidence, notes } = await measure(model, data, undefined, [...defaultMetrics, meanTop]);
    expect(notes).toEqual([]);
    for (const [key, set] of [['forgetAccuracy', forget], ['retainAccuracy', retain], ['testAccuracy', evaluation]] as const) {
      expect(evidence[key]).toBe(await topOneAccuracy(model, set!));
      expect(evidence[key]).toBe(await accuracy(model, set!));
    }
    expect(evidence.mia).toBeGreaterThanOrEqual(0);
    expect(evidence.metrics).toEqual({ meanTop: { label: 'mean top probability', unit: 'score', value: expect.any(Number) } });

    const pairs = evidencePairs(evidence, { ...evidence, metrics: { meanTop: { ...evidence.metrics!.meanTop!, value: 0.5 } } });
    expect(pairs.metrics).toEqual({ meanTop: { label: 'mean top probability', unit: 'score', before: evidence.metrics!.meanTop!.value, after: 0.5 } });
    expect(pairs.forgetAccuracy).toEqual({ before: evidence.forgetAccuracy, after: evidence.forgetAccuracy });
    const record = { evidence: { ...pairs, parameters: { changed: 0, total: 1, variablesChanged: 0, variables: 1 }, notes }, request: {}, model: { before: { path: 'm', weightsSha256: '0', files: [] }, after: { path: 'o', weightsSha256: '1', files: [] } }, environment: { packages: {} }, method: {}, timing: { unlearnMs: 0, totalMs: 0 } };
    const markdown = renderRecordMarkdown(record as unknown as DeletionRecord);
    expect(markdown).toContain(`| mean top probability | ${evidence.metrics!.meanTop!.value.toPrecision(4)} | 0.5000 |`);

    model.dispose();
    tf.dispose([all.x, all.y, ...[forget, retain, evaluation].flatMap((s) => [s!.x, s!.y])]);
  });

  it('without --retain measures the attack on the --train members but no retain accuracy; without forget labels, no forget accuracy', async () => {
    const all = syntheticClassification({ n: 40, inputDim: 8, classes: 3, seed: 5 });
    const train = { x: all.x, y: all.y };
    const forget = { x: tf.slice(all.x, 0, 10) };
    const evaluation = { x: tf.slice(all.x, 20, 20), y: tf.slice(all.y, 20, 20) as tf.Tensor1D };
    const model = toModelAdapter(tinyClassifier({ inputDim: 8, classes: 3, seed: 4 }));
    const { evidence, notes } = await measure(model, { forget, train, evaluation });
    expect(Object.keys(evidence)).toEqual(['testAccuracy', 'mia']);
    expect(notes).toEqual(['MIA members are the --train set (no --retain given), which includes the forget samples', 'forget accuracy not measured: no --labels for the forget set']);
    model.dispose();
    tf.dispose([all.x, all.y, forget.x, evaluation.x, evaluation.y]);
  });
});
