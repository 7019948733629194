import * as tf from '@tensorflow/tfjs-core';
import { createRng, isUnlearnError } from '@unlearn/core';
import { describe, expect, it } from 'vitest';
import { labelledUnion, randomWrongLabels } from '../src/index.js';

describe('randomWrongLabels', () => {
  const truth = Array.from({ length: 3000 }, (_, i) => i % 4);

  it('never gives the true label, covers the other classes evenly and repeats for the same seed', async () => {
    const y = tf.tensor1d(truth, 'int32');
    const a = await randomWrongLabels(y, 4, createRng(3).fork('labels'));
    const b = await randomWrongLabels(y, 4, createRng(3).fork('labels'));
    const c = await randomWrongLabels(y, 4, createRng(4).fork('labels'));
    const wrong = Array.from(await a.data());
    expect(a.dtype).toBe('int32');
    expect(wrong.every((w, i) => w !== truth[i] && w >= 0 && w < 4)).toBe(true);
    expect(Array.from(await b.data())).toEqual(wrong);
    expect(Array.from(await c.data())).not.toEqual(wrong);
    // Each (true, wrong) pair should take about a third of its class's 750 rows.
    for (let t = 0; t < 4; t++) {
      for (let w = 0; w < 4; w++) {
        if (w === t) continue;
        const count = wrong.filter((v, i) => truth[i] === t && v === w).length;
        expect(count, `true ${t} → ${w}`).toBeGreaterThan(200);
        expect(count, `true ${t} → ${w}`).toBeLessThan(300);
      }
    }
    tf.dispose([y, a, b, c]);
  });

  it('reads one-hot labels, and refuses a one-class model', async () => {
    const oneHot = tf.oneHot(tf.tensor1d([0, 1, 2], 'int32'), 3);
    const w = await randomWrongLabels(oneHot, 3, createRng(1));
    expect(Array.from(await w.data()).every((v, i) => v !== i)).toBe(true);
    const error = await randomWrongLabels(tf.tensor1d([0], 'int32'), 1, createRng(1)).catch((e: unknown) => e);
    expect(isUnlearnError(error, 'UNSUPPORTED_REQUEST')).toBe(true);
    tf.dispose([oneHot, w]);
  });

  it('labelledUnion puts the first set before the second, labels as class indices', async () => {
    const u = labelledUnion({ x: tf.tensor2d([[1], [2]]), y: tf.tensor1d([1, 0], 'int32') }, { x: tf.tensor2d([[3]]), y: tf.oneHot(tf.tensor1d([2], 'int32'), 3) });
    expect(Array.from(await u.x.data())).toEqual([1, 2, 3]);
    expect(Array.from(await u.y.data())).toEqual([1, 0, 2]);
    tf.dispose([u.x, u.y]);
  });
});
