import { sha256Hex } from '../weights/weights.js';
import { iterateBatches } from './batches.js';
import type { Dataset } from './dataset.js';

/** Rows per read; part of what is hashed, so fixed. */
const HASH_BATCH = 1024;

/**
 * SHA-256 of a dataset's content: every input value and every label (as class indices, so
 * one-hot and index labels of the same classes hash alike), in order, with shapes and dtypes.
 * Binds a result (a checkpoint, a record) to the exact data it came from, not just its size.
 */
export async function hashDataset(data: Dataset, signal?: AbortSignal): Promise<string> {
  const parts: Uint8Array[] = [];
  const text = new TextEncoder();
  for await (const { x, y } of iterateBatches(data, HASH_BATCH, { signal })) {
    const xs = await x.data();
    parts.push(text.encode(`x${x.shape.join('x')}:${x.dtype};`), new Uint8Array(xs.buffer, xs.byteOffset, xs.byteLength));
    if (y) {
      const ys = await y.data();
      parts.push(text.encode(`y${y.shape.join('x')};`), new Uint8Array(ys.buffer, ys.byteOffset, ys.byteLength));
    }
  }
  return sha256Hex(parts);
}
