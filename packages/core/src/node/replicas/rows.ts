import * as tf from '@tensorflow/tfjs-core';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import { layersAdapter } from '../../model/layers-adapter.js';
import type { ForwardCallOptions } from '../../threads/plan.js';

/** How a forward pass runs, wherever it runs. */
export type ForwardCall = ForwardCallOptions;

/** `model` on rows [begin, end) of `x` on the calling thread, `chunkRows` at a time. */
export function forwardHere(model: LayersModel, x: tf.Tensor, begin: number, end: number, o: ForwardCall): tf.Tensor[] {
  const adapter = layersAdapter(model);
  const out: tf.Tensor[] = [];
  for (let start = begin; start < end; start += o.chunkRows) {
    const size = Math.min(o.chunkRows, end - start);
    out.push(
      tf.tidy(() => {
        const rows = tf.slice(x, start, size);
        const options = { training: o.training ?? false };
        return o.output === 'logits' ? adapter.logits(rows, options) : adapter.probabilities(rows, options);
      }),
    );
  }
  return out;
}

/** Forward passes posted to worker threads, whose outputs `collect` waits for. */
export function concatRows(parts: tf.Tensor[]): tf.Tensor {
  if (parts.length === 1) return parts[0]!;
  if (parts.length === 0) throw new Error('concatRows: no rows');
  const out = tf.concat(parts, 0);
  tf.dispose(parts);
  return out;
}

/** `total` rows in `parts` contiguous shares, the first ones one row longer; empty shares dropped. */
export function splitRows(total: number, parts: number): { begin: number; size: number }[] {
  if (parts <= 0) return [];
  const base = Math.floor(total / parts);
  const extra = total % parts;
  const out: { begin: number; size: number }[] = [];
  let begin = 0;
  for (let i = 0; i < parts; i++) {
    const size = base + (i < extra ? 1 : 0);
    if (size > 0) out.push({ begin, size });
    begin += size;
  }
  return out;
}
