import * as tf from '@tensorflow/tfjs-core';
import { UnlearnError } from '../errors.js';
import type { Batch, BatchSource, Dataset } from './dataset.js';
import { fromBatches, hasLabels } from './dataset.js';
import { firstBadRow } from './first-bad-row.js';
import { checkOneHot } from './labels.js';

/**
 * The data rules every entry point applies (the request check, streamed batches, the CLI's
 * files, eval's labels), each written once here. Every error carries `split` and `field` (and
 * `index`, the sample, where one sample is at fault), so callers point at the problem without
 * reading the message.
 */

/** What the rules need to know of a model: `{}` checks only what holds for any model. */
export interface DataShape {
  readonly inputShape?: readonly (number | null)[];
  readonly numClasses?: number;
}

/** Where the data sits: the error's `split`, and how messages name it. */
export interface DataWhere {
  /** e.g. 'forget'; the error's `split` field. */
  split: string;
  /** Starts messages (`ssd: ...`). */
  method?: string;
  /** Names the inputs in messages; `<split>.x` unless given (the CLI gives `--forget forget.npy`). */
  x?: string;
  /** Names the labels in messages; `<split>.y` unless given. */
  y?: string;
  /** Row number of the batch's first sample in its set, so that `index` names the user's row. */
  offset?: number;
}

const prefix = (w: DataWhere) => (w.method ? `${w.method}: ` : '');
const xName = (w: DataWhere) => `${prefix(w)}${w.x ?? `${w.split}.x`}`;
const yName = (w: DataWhere) => `${prefix(w)}${w.y ?? `${w.split}.y`}`;
const fmt = (s: readonly (number | null)[]) => `[${s.map((d) => (d === null ? '?' : d)).join(', ')}]`;

/** EMPTY_DATASET for a set of zero samples (a stream of unknown size passes). */
export function checkNotEmpty(size: number | undefined, where: DataWhere): void {
  if (size !== 0) return;
  throw new UnlearnError('EMPTY_DATASET', `${prefix(where)}the ${where.split} set is empty (${where.x ?? `${where.split}.x`} has no samples)`, {
    split: where.split,
    field: 'x',
  });
}

/** MISSING_LABELS unless `data` has labels; `why` says what the method uses them for. */
export function requireLabels(data: Dataset, where: DataWhere & { method: string; why?: string }): void {
  if (hasLabels(data)) return;
  const why = where.why ? `: ${where.why}` : '';
  throw new UnlearnError('MISSING_LABELS', `${where.method} needs labels on the ${where.split} set (${where.y ?? `${where.split}.y`})${why}`, {
    split: where.split,
    field: 'y',
  });
}

/** SHAPE_MISMATCH unless each sample of `shape` ([n, ...sample]) fits the model's input shape. */
export function checkInputShape(model: DataShape, shape: readonly number[], where: DataWhere): void {
  const expected = model.inputShape;
  if (!expected) return;
  const actual = shape.slice(1);
  const matches = actual.length === expected.length && expected.every((d, i) => d === null || d === actual[i]);
  if (matches) return;
  const size = (s: readonly number[]) => s.reduce((a, b) => a * b, 1);
  const reshape =
    expected.every((d) => d !== null) && size(actual) === size(expected as number[])
      ? `; the sizes agree, so reshape it to [${shape[0]}, ${expected.join(', ')}]`
      : '';
  throw new UnlearnError(
    'SHAPE_MISMATCH',
    `${xName(where)} has sample shape ${fmt(actual)} but the model expects ${fmt(expected)} (full shape given: ${fmt(shape)})${reshape}`,
    { split: where.split, field: 'x' },
  );
}

/** SHAPE_MISMATCH unless there is one label per sample. */
export function checkLabelCount(labels: number, samples: number, where: DataWhere): void {
  if (labels === samples) return;
  throw new UnlearnError(
    'SHAPE_MISMATCH',
    `${yName(where)} has ${labels} labels but ${where.x ?? `${where.split}.x`} has ${samples} samples; there must be one label per sample`,
    { split: where.split, field: 'y' },
  );
}

/**
 * Labels are [n] class indices (integers in 0..C−1) or [n, C] one-hot rows (finite, non-negative,
 * summing to 1, C the model's classes): SHAPE_MISMATCH for the shape, LABEL_OUT_OF_RANGE with the
 * row's `index` for a value.
 */
export async function checkLabels(model: DataShape, y: tf.Tensor, where: DataWhere): Promise<void> {
  const what = yName(where);
  const at = { split: where.split, field: 'y' };
  if (y.rank !== 1 && y.rank !== 2) {
    throw new UnlearnError('SHAPE_MISMATCH', `${what} must have shape [n] (class indices) or [n, C] (one-hot) (got ${fmt(y.shape)})`, at);
  }
  const classes = model.numClasses;
  if (y.rank === 2) {
    if (classes !== undefined && y.shape[1] !== classes) {
      throw new UnlearnError('SHAPE_MISMATCH', `${what} is one-hot over ${y.shape[1]} classes but the model has ${classes}`, at);
    }
    await checkOneHot(y, { row: (i) => `${what}[${i}]`, ...at, offset: where.offset ?? 0 });
    return;
  }
  checkClassIndices(await y.data(), classes, where);
}

/**
 * LABEL_OUT_OF_RANGE, with the sample's `index`, unless every value is a class index: an integer
 * in 0..classes−1 (any non-negative integer when `classes` is undefined). For labels already read
 * to the CPU (eval's confidence scores); `checkLabels` uses it on tensors.
 */
export function checkClassIndices(values: ArrayLike<number | undefined>, classes: number | undefined, where: DataWhere): void {
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v !== undefined && Number.isInteger(v) && v >= 0 && (classes === undefined || v < classes)) continue;
    const index = i + (where.offset ?? 0);
    const range = classes !== undefined ? `the model's classes (0..${classes - 1})` : 'the class indices (non-negative integers)';
    throw new UnlearnError('LABEL_OUT_OF_RANGE', `${yName(where)}[${index}] = ${v} is outside ${range}`, { split: where.split, field: 'y', index });
  }
}

/** NON_FINITE for NaN or Infinity in the inputs, naming the first such sample. Reads back two numbers unless one is found. */
export async function checkFinite(x: tf.Tensor, where: DataWhere): Promise<void> {
  const bad = await firstBadRow(x, (rows) => tf.logicalNot(tf.all(tf.isFinite(rows), 1)));
  if (!bad) return;
  const value = bad.values.find((v) => !Number.isFinite(v));
  const index = bad.index + (where.offset ?? 0);
  throw new UnlearnError('NON_FINITE', `${xName(where)} contains NaN or Infinity: sample ${index} holds ${value}`, {
    split: where.split,
    field: 'x',
    index,
  });
}

/** Every rule on one batch (or a whole in-memory set): input shape, label shape and count, label values, finite inputs. */
export async function checkBatch(model: DataShape, batch: { x: tf.Tensor; y?: tf.Tensor }, where: DataWhere): Promise<void> {
  checkInputShape(model, batch.x.shape, where);
  if (batch.y) {
    if (batch.y.rank === 1 || batch.y.rank === 2) checkLabelCount(batch.y.shape[0]!, batch.x.shape[0]!, where);
    await checkLabels(model, batch.y, where);
  }
  await checkFinite(batch.x, where);
}

/** Where a stream sits, and whether every batch must carry labels (the split's labels are required). */
export interface StreamWhere extends DataWhere {
  labelsRequired?: boolean;
}

/** The streams `checkedBatches` made, with what they check against, so that wrapping one again adds nothing. */
const checkedStreams = new WeakMap<BatchSource, { model: DataShape; labelsRequired: boolean }>();

const sameShape = (a: DataShape, b: DataShape) =>
  a.numClasses === b.numClasses &&
  a.inputShape?.length === b.inputShape?.length &&
  (a.inputShape ?? []).every((d, i) => d === b.inputShape![i]);

/** Whether `source` came from `checkedBatches`: its batches' labels have been checked already. */
export function isCheckedStream(source: BatchSource): boolean {
  return checkedStreams.has(source);
}

/**
 * `source` with `checkBatch` applied to each batch before its consumer sees it, for streams the
 * request check cannot read ahead of the run; with `labelsRequired`, a batch without labels is
 * MISSING_LABELS, and a stream that yields no samples EMPTY_DATASET. A bad batch's tensors are disposed. A stream already checked against a model of
 * the same shape (the runner checks every streamed split; a method's direct-call check then adds
 * nothing) comes back as it is.
 */
export function checkedBatches(model: DataShape, source: BatchSource, where: StreamWhere): BatchSource {
  const labelsRequired = Boolean(where.labelsRequired);
  const done = checkedStreams.get(source);
  if (done && sameShape(done.model, model) && (done.labelsRequired || !labelsRequired)) return source;
  const checked = fromBatches(
    async function* (batchSize) {
      let offset = where.offset ?? 0;
      for await (const batch of source.batches(batchSize)) {
        try {
          if (labelsRequired && !batch.y) {
            throw new UnlearnError('MISSING_LABELS', `${yName(where)} is missing from the streamed batch that starts at sample ${offset}; every batch needs labels`, {
              split: where.split,
              field: 'y',
              index: offset,
            });
          }
          await checkBatch(model, batch, { ...where, offset });
        } catch (error) {
          tf.dispose([batch.x, ...(batch.y ? [batch.y] : [])]);
          throw error;
        }
        offset += batch.x.shape[0] ?? 0;
        yield batch as Batch;
      }
      // The request check refuses an empty set, but cannot see a stream of unknown size is one.
      if (offset === (where.offset ?? 0)) {
        throw new UnlearnError('EMPTY_DATASET', `${prefix(where)}the ${where.split} set is empty (its stream yielded no samples)`, { split: where.split, field: 'x' });
      }
    },
    { size: source.size, hasLabels: source.hasLabels },
  );
  checkedStreams.set(checked, { model: { inputShape: model.inputShape, numClasses: model.numClasses }, labelsRequired });
  return checked;
}
