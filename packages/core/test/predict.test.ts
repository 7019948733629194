import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { expectUnlearnError } from '../src/testing/expect-error.js';
import { fittedTinyClassifier, syntheticClassification } from '../src/testing/fixtures.js';
import { agreement, agreementCounts, forwardBatches, predictClasses, toModelAdapter, topOneAccuracy } from '../src/index.js';

describe('the shared predictor', () => {
  it('top-1 accuracy equals the hits counted on the whole set at once, whatever the batch size; tensors freed', async () => {
    const data = syntheticClassification({ n: 37, classes: 3, seed: 4, spread: 1.5 });
    const model = toModelAdapter(fittedTinyClassifier(data, { classes: 3 }, 3));
    const hits = tf.tidy(() => tf.sum(tf.cast(tf.equal(tf.argMax(model.logits(data.x), 1), data.y), 'int32')).dataSync()[0]!);
    const whole = hits / 37;
    const tensors = tf.memory().numTensors;
    for (const batchSize of [1, 5, 256]) expect(await topOneAccuracy(model, data, { batchSize })).toBe(whole);
    expect(whole).toBeGreaterThan(0);
    expect(whole).toBeLessThan(1);
    expect(tf.memory().numTensors).toBe(tensors);
    model.dispose();
    tf.dispose([data.x, data.y]);
  });

  it('forwardBatches gives logits or probabilities, a batch at a time, with the labels', async () => {
    const data = syntheticClassification({ n: 7, classes: 3 });
    const model = toModelAdapter(fittedTinyClassifier(data, { classes: 3 }, 1));
    const rows: number[] = [];
    for await (const b of forwardBatches(model, data, { batchSize: 3, output: 'probabilities' })) {
      rows.push(b.output.shape[0]!);
      expect(b.y!.shape).toEqual([b.output.shape[0]]);
      const sums = tf.tidy(() => tf.sum(b.output, 1));
      for (const s of await sums.data()) expect(s).toBeCloseTo(1, 5);
      sums.dispose();
    }
    expect(rows).toEqual([3, 3, 1]);
    const { predicted, labels } = await predictClasses(model, data, 2);
    expect(predicted).toHaveLength(7);
    expect(labels).toEqual(Int32Array.from(await data.y.data()));
    model.dispose();
    tf.dispose([data.x, data.y]);
  });

  it('agreement counts hits over the kept samples; NaN when none is kept', () => {
    expect(agreementCounts([0, 1, 2, 1], [0, 2, 2, 1])).toEqual({ hits: 3, total: 4 });
    expect(agreementCounts([0, 1, 2, 1], [0, 2, 2, 1], (i) => i > 0)).toEqual({ hits: 2, total: 3 });
    expect(agreement([0, 1], [1, 0], () => false)).toBeNaN();
  });

  it('[bad input] top-1 accuracy of data without labels → MISSING_LABELS; of no data → NaN', async () => {
    const data = syntheticClassification({ n: 3 });
    const model = toModelAdapter(fittedTinyClassifier(data, {}, 0));
    const x = tf.zeros([2, 8]);
    expect((await expectUnlearnError(topOneAccuracy(model, { x }), 'MISSING_LABELS')).field).toBe('y');
    const none = tf.zeros([0, 8]);
    const noLabels = tf.zeros([0], 'int32') as tf.Tensor1D;
    expect(await topOneAccuracy(model, { x: none, y: noLabels })).toBeNaN();
    model.dispose();
    tf.dispose([x, none, noLabels, data.x, data.y]);
  });
});
