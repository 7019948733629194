import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { onBoth, seeded, useWasm } from './test-helpers.js';

beforeAll(useWasm);

describe('wasm Identity shares its input', () => {
  it('gives the same values as cpu and frees nothing twice', async () => {
    const x = seeded([3, 4, 5], 1);
    const r = await onBoth(() => tf.clone(tf.tensor3d(x, [3, 4, 5])));
    expect(Array.from(r.wasm)).toEqual(Array.from(r.cpu));
    expect(r.leaked).toEqual({ buffers: 0, tensors: 0 });
  });

  it('keeps a clone readable after the original is disposed, and the original after the clone is', async () => {
    const a = tf.tensor1d([1, 2, 3]);
    const b = tf.clone(a);
    a.dispose();
    expect(Array.from(await b.data())).toEqual([1, 2, 3]);
    const c = tf.clone(b);
    c.dispose();
    expect(Array.from(await b.data())).toEqual([1, 2, 3]);
    b.dispose();
  });

  it('leaves gradients unchanged: the tape clones the tensors it saves', async () => {
    const x = seeded([2, 6, 6, 2], 3);
    const r = await onBoth(() =>
      tf.grad((t) => tf.sum(tf.square(tf.relu(tf.maxPool(t as tf.Tensor4D, 2, 2, 'valid')))))(tf.tensor4d(x, [2, 6, 6, 2])),
    );
    expect(Array.from(r.wasm)).toEqual(Array.from(r.cpu));
    expect(r.leaked).toEqual({ buffers: 0, tensors: 0 });
  });
});
