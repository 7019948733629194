import * as tf from '@tensorflow/tfjs-core';
import { UnlearnError } from '../errors.js';
import type { Dataset } from '../data/dataset.js';
import { datasetSize, hasLabels, isBatchSource } from '../data/dataset.js';
import { checkOneHot } from '../data/labels.js';
import type { ModelAdapter } from '../model/types.js';
import { nonFiniteVariables } from '../tensor/weights.js';
import type { ForgetRequest, Unlearner } from './unlearner.js';

type SplitName = 'forget' | 'retain' | 'train' | 'validation';

/**
 * Checks a request against the model and the method's declared needs, before any weight
 * changes, so a bad request fails with a message naming the problem.
 */
export async function validateRequest(model: ModelAdapter, request: ForgetRequest, unlearner: Unlearner): Promise<void> {
  const method = unlearner.name;
  if (model.trainable.length === 0) {
    throw new UnlearnError('NO_TRAINABLE_WEIGHTS', `${method}: the model has no trainable weights to change`);
  }
  if (!request || !request.forget) {
    throw new UnlearnError('MISSING_DATA', `${method}: the request has no forget set (request.forget)`);
  }
  const needs = unlearner.needs;
  if (needs.retain && !request.retain) {
    throw new UnlearnError('MISSING_DATA', `${method} needs the retain set (request.retain)`);
  }
  if (needs.train && !request.train && !(needs.acceptsImportances && request.importances !== undefined)) {
    const alt = needs.acceptsImportances ? ' or precomputed importances (request.importances)' : '';
    throw new UnlearnError('MISSING_DATA', `${method} needs the full training set (request.train)${alt}`);
  }
  const splits: [SplitName, Dataset | undefined][] = [
    ['forget', request.forget],
    ['retain', request.retain],
    ['train', request.train],
    ['validation', request.validation],
  ];
  for (const [split, data] of splits) {
    if (!data) continue;
    const labelsRequired =
      split === 'retain' ? Boolean(needs.labels || needs.retainLabels) : Boolean(needs.labels) && split !== 'validation';
    await validateDataset(model, data, { method, split, labelsRequired });
  }
  const bad = await nonFiniteVariables(model);
  if (bad.length > 0) {
    throw new UnlearnError('NON_FINITE', `${method}: the model's weights contain NaN or Infinity (${bad.join(', ')})`, {
      split: 'model',
      field: 'weights',
    });
  }
}

export async function validateDataset(
  model: ModelAdapter,
  data: Dataset,
  opts: { method: string; split: SplitName | string; labelsRequired: boolean },
): Promise<void> {
  const { method, split } = opts;
  const size = datasetSize(data);
  if (size === 0) throw new UnlearnError('EMPTY_DATASET', `${method}: the ${split} set is empty`);
  if (opts.labelsRequired && !hasLabels(data)) {
    throw new UnlearnError('MISSING_LABELS', `${method} needs labels on the ${split} set (give ${split}.y)`);
  }
  // Streams are checked batch by batch by the methods that read them.
  if (isBatchSource(data)) return;
  checkInputShape(model, data.x.shape, `${method}: ${split}.x`);
  if (data.y) {
    if (data.y.shape[0] !== data.x.shape[0]) {
      throw new UnlearnError(
        'SHAPE_MISMATCH',
        `${method}: ${split}.y has ${data.y.shape[0]} labels for ${data.x.shape[0]} inputs`,
        { split, field: 'y' },
      );
    }
    await checkLabelRange(model, data.y, method, split);
  }
  const finite = tf.tidy(() => tf.all(tf.isFinite(data.x)));
  const ok = (await finite.data())[0] === 1;
  finite.dispose();
  if (!ok) throw new UnlearnError('NON_FINITE', `${method}: ${split}.x contains NaN or Infinity`, { split, field: 'x' });
}

export function checkInputShape(model: ModelAdapter, shape: readonly number[], what: string): void {
  const expected = model.inputShape;
  if (!expected) return;
  const actual = shape.slice(1);
  const matches = actual.length === expected.length && expected.every((d, i) => d === null || d === actual[i]);
  if (!matches) {
    const fmt = (s: readonly (number | null)[]) => `[${s.map((d) => (d === null ? '?' : d)).join(', ')}]`;
    throw new UnlearnError(
      'SHAPE_MISMATCH',
      `${what} has sample shape ${fmt(actual)} but the model expects ${fmt(expected)} (full shape given: [${shape.join(', ')}])`,
    );
  }
}

async function checkLabelRange(model: ModelAdapter, y: tf.Tensor, method: string, split: string): Promise<void> {
  const what = `${method}: ${split}.y`;
  if (y.rank === 2) {
    if (model.numClasses !== undefined && y.shape[1] !== model.numClasses) {
      throw new UnlearnError('SHAPE_MISMATCH', `${what} is one-hot over ${y.shape[1]} classes but the model has ${model.numClasses}`, {
        split,
        field: 'y',
      });
    }
    await checkOneHot(y, { row: (i) => `${what}[${i}]`, split, field: 'y' });
    return;
  }
  if (y.rank !== 1) {
    throw new UnlearnError('SHAPE_MISMATCH', `${what} must have shape [n] or [n, C] (got [${y.shape.join(', ')}])`);
  }
  const values = await y.data();
  const limit = model.numClasses;
  for (let i = 0; i < values.length; i++) {
    const v = values[i] as number;
    if (!Number.isInteger(v) || v < 0 || (limit !== undefined && v >= limit)) {
      const range = limit !== undefined ? `0..${limit - 1}` : 'non-negative integers';
      throw new UnlearnError('LABEL_OUT_OF_RANGE', `${what}[${i}] = ${v} is outside the model's classes (${range})`, { split, field: 'y', index: i });
    }
  }
}
