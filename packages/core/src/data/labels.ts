import * as tf from '@tensorflow/tfjs-core';
import { UnlearnError } from '../errors.js';
import { firstBadRow } from './first-bad-row.js';

/**
 * Labels as int32 class indices [n]; one-hot [n, C] input is reduced with argMax. The shape error
 * has no split: the sets a method reads have had their label shape checked, located, before this.
 */
export function toClassIndices(y: tf.Tensor, what = 'labels'): tf.Tensor1D {
  if (y.rank === 1) return (y.dtype === 'int32' ? y.clone() : tf.cast(y, 'int32')) as tf.Tensor1D;
  if (y.rank === 2) return tf.argMax(y, 1) as tf.Tensor1D;
  throw new UnlearnError(
    'SHAPE_MISMATCH',
    `${what} must be class indices of shape [n] or one-hot of shape [n, C] (got shape [${y.shape.join(', ')}])`,
    { field: 'y' },
  );
}

/** How far a one-hot (or soft-label) row may sum from 1: float32 rounding of C terms, with room. */
const ROW_SUM_TOLERANCE = 1e-3;

export interface OneHotWhere {
  /** Names row `index`, e.g. `i => \`ssd: forget.y[${i}]\``. */
  row: (index: number) => string;
  split?: string;
  field?: string;
  /** Added to row numbers, for a batch that is not the first of its set. */
  offset?: number;
}

/**
 * Checks [n, C] labels are distributions over the classes: finite, non-negative, each row summing
 * to 1. argMax hides a NaN, a negative or an Infinity, and a loss fed such a row drives the model
 * to NaN or collapse, so they are refused before any weight changes. Reads back only two numbers
 * (asynchronously, as a GPU backend needs) unless a row is bad.
 */
export async function checkOneHot(y: tf.Tensor, where: OneHotWhere): Promise<void> {
  if (y.rank !== 2) return;
  const bad = await firstBadRow(y, (rows) => {
    const finite = tf.all(tf.isFinite(rows), 1);
    const nonNegative = tf.all(tf.greaterEqual(rows, 0), 1);
    const sums = tf.sum(tf.where(tf.isFinite(rows), rows, tf.zerosLike(rows)), 1);
    const sumsToOne = tf.lessEqual(tf.abs(tf.sub(sums, 1)), ROW_SUM_TOLERANCE);
    return tf.logicalNot(tf.logicalAnd(finite, tf.logicalAnd(nonNegative, sumsToOne)));
  });
  if (!bad) return;
  const { values } = bad;
  const index = bad.index + (where.offset ?? 0);
  const sum = values.reduce((a, b) => a + b, 0);
  const problem = values.some((v) => !Number.isFinite(v))
    ? 'holds NaN or Infinity'
    : values.some((v) => v < 0)
      ? `has a negative entry (${Math.min(...values)})`
      : `sums to ${Number(sum.toPrecision(6))}`;
  throw new UnlearnError(
    'LABEL_OUT_OF_RANGE',
    `${where.row(index)} is not a one-hot label: it ${problem}; each row of [n, classes] labels must be non-negative and sum to 1`,
    { ...(where.split !== undefined ? { split: where.split } : {}), field: where.field ?? 'y', index },
  );
}
