import type { Dataset } from '../data/dataset.js';
import { datasetSize, isBatchSource } from '../data/dataset.js';
import { checkBatch, checkedBatches, checkNotEmpty, requireLabels } from '../data/checks.js';
import { UnlearnError } from '../errors.js';
import type { ModelAdapter } from '../model/types.js';
import { nonFiniteVariables } from '../weights/weights.js';
import type { ForgetRequest, Unlearner, UnlearnerNeeds } from '../contract/unlearner.js';

type SplitName = 'forget' | 'retain' | 'train' | 'validation';

const SPLITS: readonly SplitName[] = ['forget', 'retain', 'train', 'validation'];

/** Whether a method with `needs` needs labels on `split`: the retain set's own rule, and never on validation. */
const labelsRequired = (needs: UnlearnerNeeds, split: SplitName) =>
  split === 'retain' ? Boolean(needs.labels || needs.retainLabels) : Boolean(needs.labels) && split !== 'validation';

/** MISSING_DATA for a split the method needs, located at the split so a CLI can name its flag. */
const missing = (split: SplitName, message: string) => new UnlearnError('MISSING_DATA', message, { split, field: 'x' });

/**
 * The retain set of `request`, or MISSING_DATA located at it. The request check refuses a missing
 * retain set for a method that declares `needs.retain`; the method calls this to narrow the type
 * (and for a direct call of its `unlearn`), with the same error. `why` ends the message.
 */
export function requiredRetain(request: ForgetRequest, method: string, why?: string): Dataset {
  if (request.retain) return request.retain;
  throw missing('retain', `${method} needs the retain set (request.retain)${why ? ` ${why}` : ''}`);
}

/**
 * Checks a request against the model and the method's declared needs, before any weight
 * changes, so a bad request fails with a message naming the problem.
 */
export async function validateRequest(model: ModelAdapter, request: ForgetRequest, unlearner: Unlearner): Promise<void> {
  await validateRequestData(model, request, unlearner);
  refuseNonFiniteWeights(unlearner.name, await nonFiniteVariables(model));
}

/**
 * `validateRequest` without the weights' finiteness, for the runner, which learns that from the
 * read of every weight it makes anyway (then calls `refuseNonFiniteWeights`).
 */
export async function validateRequestData(model: ModelAdapter, request: ForgetRequest, unlearner: Unlearner): Promise<void> {
  const method = unlearner.name;
  if (model.trainable.length === 0) {
    throw new UnlearnError('NO_TRAINABLE_WEIGHTS', `${method}: the model has no trainable weights to change`, { split: 'model', field: 'weights' });
  }
  if (!request?.forget) throw missing('forget', `${method}: the request has no forget set (request.forget)`);
  const needs = unlearner.needs;
  if (needs.retain) requiredRetain(request, method);
  if (needs.train && !request.train && !(needs.acceptsImportances && request.importances !== undefined)) {
    const alt = needs.acceptsImportances ? ' or precomputed importances (request.importances)' : '';
    throw missing('train', `${method} needs the full training set (request.train)${alt}`);
  }
  for (const split of SPLITS) {
    const data = request[split];
    if (data) await validateDataset(model, data, { method, split, labelsRequired: labelsRequired(needs, split) });
  }
}

/**
 * `request` with each streamed split wrapped in `checkedBatches` (by the split's name and label
 * rule), so that every batch a method reads has passed the data rules before it can change a
 * weight: the request check reads in-memory sets whole but cannot read a stream ahead.
 */
export function checkedRequest(model: ModelAdapter, request: ForgetRequest, unlearner: Unlearner): ForgetRequest {
  let checked = request;
  for (const split of SPLITS) {
    const data = request[split];
    if (!data || !isBatchSource(data)) continue;
    const stream = checkedBatches(model, data, { method: unlearner.name, split, labelsRequired: labelsRequired(unlearner.needs, split) });
    // The request itself when nothing is new: a method may key what a search prepared by it (SSD's shared importances).
    if (stream !== data) checked = { ...checked, [split]: stream };
  }
  return checked;
}

/** NON_FINITE, located at the model's weights, when `nonFinite` names any variable. */
export function refuseNonFiniteWeights(method: string, nonFinite: readonly string[]): void {
  if (nonFinite.length === 0) return;
  throw new UnlearnError('NON_FINITE', `${method}: the model's weights contain NaN or Infinity (${nonFinite.join(', ')})`, {
    split: 'model',
    field: 'weights',
  });
}

/**
 * The data rules (data/checks.ts) on one split. A stream is checked only for emptiness and its
 * declared labels here; `unlearn()` and `autoUnlearn()` check its batches as they are read
 * (`checkedRequest`), and a direct caller wraps it in `checkedBatches` itself.
 */
export async function validateDataset(
  model: ModelAdapter,
  data: Dataset,
  opts: { method: string; split: SplitName | string; labelsRequired: boolean },
): Promise<void> {
  const { method, split } = opts;
  checkNotEmpty(datasetSize(data), { method, split });
  if (opts.labelsRequired) requireLabels(data, { method, split });
  if (isBatchSource(data)) return;
  await checkBatch(model, data, { method, split });
}
