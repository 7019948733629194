import * as tf from '@tensorflow/tfjs-core';
import { hashWeights, toModelAdapter } from '@unlearn/core';
import { describe, expect, it } from 'vitest';
import { buildMnistCnn, loadPretrainedMnistCoarseCnn, MNIST_COARSE_CLASSES, MNIST_COARSE_OF, MNIST_COARSE_PAIRS, toCoarse } from '../src/index.js';

describe('coarse digit pairs', () => {
  it('partition the ten digits into five pairs, each digit mapped to its pair', () => {
    expect(MNIST_COARSE_PAIRS.flat().sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(MNIST_COARSE_CLASSES).toBe(5);
    MNIST_COARSE_PAIRS.forEach(([a, b], coarse) => {
      expect(MNIST_COARSE_OF[a]).toBe(coarse);
      expect(MNIST_COARSE_OF[b]).toBe(coarse);
    });
    // The sub-class scenario forgets 3 while 5 keeps the coarse class.
    expect(MNIST_COARSE_OF[3]).toBe(MNIST_COARSE_OF[5]);
  });

  it('toCoarse relabels the digits and keeps the digit labels as fine', () => {
    const split = { x: tf.zeros([5, 28, 28, 1]) as tf.Tensor4D, y: tf.tensor1d([3, 5, 8, 9, 0], 'int32') };
    const coarse = toCoarse(split);
    expect(Array.from(coarse.fine)).toEqual([3, 5, 8, 9, 0]);
    expect(Array.from(coarse.y.dataSync())).toEqual([3, 3, 2, 4, 0]);
    expect(coarse.x).toBe(split.x);
    tf.dispose([split.x, split.y, coarse.y]);
  });
});

describe('buildMnistCnn classes', () => {
  it('keeps the 10-class model and its seeded init as before the parameter existed', async () => {
    const model = buildMnistCnn(1);
    // Hash of buildMnistCnn(1) computed with the version of internal/mnist/src/model.ts before
    // `classes` was added (git history), so the 10-class init is pinned.
    expect(await hashWeights(toModelAdapter(model))).toBe('2507778af2e214ffac8b2f4486ebe55ef7a1de16bcf20b0915e22d4ebc0c0097');
    expect(model.outputs[0]!.shape).toEqual([null, 10]);
    model.dispose();
  });

  it('changes only the output width for the coarse task', () => {
    const ten = buildMnistCnn(1);
    const five = buildMnistCnn(1, MNIST_COARSE_CLASSES);
    expect(five.outputs[0]!.shape).toEqual([null, 5]);
    const a = ten.getWeights();
    const b = five.getWeights();
    expect(b.map((w) => w.shape)).toEqual(a.map((w, i) => (i >= a.length - 2 ? [...w.shape.slice(0, -1), 5] : w.shape)));
    // The layers before the output draw the same seeded values.
    for (let i = 0; i < a.length - 2; i++) expect(Array.from(b[i]!.dataSync())).toEqual(Array.from(a[i]!.dataSync()));
    ten.dispose();
    five.dispose();
  });

  it('refuses a class count below 2', () => {
    expect(() => buildMnistCnn(1, 1)).toThrow(/classes/);
  });

  it('the committed coarse model predicts the 5 coarse classes', async () => {
    const model = await loadPretrainedMnistCoarseCnn();
    expect(model.outputs[0]!.shape).toEqual([null, 5]);
    model.dispose();
  });
});
