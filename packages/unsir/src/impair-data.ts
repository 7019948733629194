import * as tf from '@tensorflow/tfjs-core';
import { fromBatches, shuffledIndices, type BatchSource, type Rng } from '@unlearn/core';

/** One forgotten class's learned noise: `x` is [noiseBatch, ...inputShape]. */
export interface ClassNoise {
  cls: number;
  x: tf.Tensor;
}

/** The impair set and the tensors behind it (the caller disposes them after training). */
export interface ImpairData {
  source: BatchSource;
  size: number;
  dispose(): void;
}

/**
 * The impair set (docs/algorithms/unsir.md, The math in short): `copies` copies of each class's
 * noise batch, labelled with that class, then the retain sample. The copies are never
 * materialised: rows index a pool of one noise batch per class plus the sample. Each epoch is
 * one seeded permutation of all rows (epoch e uses `rng.fork('epoch-e')`); without `rng` the
 * order is as listed (class by class, copy by copy, then the sample).
 */
export function impairData(noises: ClassNoise[], copies: number, sample: { x: tf.Tensor; y: tf.Tensor1D }, rng: Rng | undefined): ImpairData {
  const rows = noises.map((n) => n.x.shape[0]!);
  const noiseRows = rows.reduce((a, b) => a + b, 0) * copies;
  const size = noiseRows + sample.x.shape[0]!;
  const poolX = tf.concat([...noises.map((n) => n.x), sample.x]);
  const poolY = tf.tidy(() => tf.concat([...noises.map((n, i) => tf.fill([rows[i]!], n.cls, 'int32')), tf.cast(sample.y, 'int32')]));
  // Where each class's copies start among the virtual rows, and its noise among the pool's.
  const starts: { virtual: number; pool: number; rows: number }[] = [];
  let virtual = 0;
  let pool = 0;
  for (const r of rows) {
    starts.push({ virtual, pool, rows: r });
    virtual += r * copies;
    pool += r;
  }
  const poolIndex = (v: number): number => {
    if (v >= noiseRows) return pool + (v - noiseRows);
    let k = starts.length - 1;
    while (starts[k]!.virtual > v) k--;
    const s = starts[k]!;
    return s.pool + ((v - s.virtual) % s.rows);
  };
  let epoch = 0;
  const source = fromBatches(
    async function* (batchSize) {
      const order = rng ? shuffledIndices(size, rng.fork(`epoch-${epoch}`)) : undefined;
      epoch++;
      for (let start = 0; start < size; start += batchSize) {
        const idx = new Int32Array(Math.min(batchSize, size - start));
        for (let i = 0; i < idx.length; i++) idx[i] = poolIndex(order ? order[start + i]! : start + i);
        yield tf.tidy(() => {
          const t = tf.tensor1d(idx, 'int32');
          return { x: tf.gather(poolX, t), y: tf.gather(poolY, t) as tf.Tensor1D };
        });
      }
    },
    { size, hasLabels: true },
  );
  return { source, size, dispose: () => tf.dispose([poolX, poolY]) };
}
