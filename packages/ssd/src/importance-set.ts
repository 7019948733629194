import * as tf from '@tensorflow/tfjs-core';
import {
  datasetSize,
  hashWeights,
  toModelAdapter,
  UnlearnError,
  type Dataset,
  type ModelAdapter,
  type UnlearnableModel,
} from '@unlearn/core';
import { variableNames } from './layer-filter.js';
import { importanceWithPlan, type ImportanceKind, type ImportancePassOptions } from './importance.js';

/**
 * Training-set importances computed once and reused for many deletion requests (the paper
 * notes I_D can be computed at any time before forgetting). Bound to the exact weights, the
 * importance kind and the batch size they were computed with.
 */
export interface ImportanceSet {
  kind: ImportanceKind;
  batchSize: number;
  /** core's hashWeights of the model the importances belong to. */
  modelHash: string;
  /** Trainable variable names at computation time (informational; layer names vary between loads). */
  names: string[];
  shapes: number[][];
  /** Samples in the training set, when known. */
  samples?: number;
  /** One tensor per trainable variable, in model order. */
  tensors: tf.Tensor[];
}

export interface ComputeImportancesOptions extends Omit<ImportancePassOptions, 'batchSize'> {
  kind: ImportanceKind;
  /** Default 64, the SSD default; use the batch size the unlearning run will use. */
  batchSize?: number;
}

const KIND_LABEL: Record<ImportanceKind, string> = { fisher: 'Fisher (SSD)', 'loss-free': 'loss-free (LF-SSD)' };

/** Importances of `trainData` for later `ssd`/`lfSsd` runs via `request.importances`. */
export async function computeImportances(
  model: UnlearnableModel | ModelAdapter,
  trainData: Dataset,
  options: ComputeImportancesOptions,
): Promise<ImportanceSet> {
  const adapter = toModelAdapter(model);
  const batchSize = options.batchSize ?? 64;
  const modelHash = await hashWeights(adapter);
  const { tensors } = await importanceWithPlan(adapter, trainData, options.kind, { ...options, batchSize });
  const set: ImportanceSet = {
    kind: options.kind,
    batchSize,
    modelHash,
    names: variableNames(adapter),
    shapes: adapter.trainable.map((v) => v.variable.shape.slice()),
    tensors,
  };
  const samples = datasetSize(trainData);
  if (samples !== undefined) set.samples = samples;
  return set;
}

export function disposeImportances(set: ImportanceSet): void {
  set.tensors.forEach((t) => t.dispose());
}

export function isImportanceSet(value: unknown): value is ImportanceSet {
  const v = value as Partial<ImportanceSet> | null;
  return (
    typeof v === 'object' &&
    v !== null &&
    (v.kind === 'fisher' || v.kind === 'loss-free') &&
    typeof v.batchSize === 'number' &&
    typeof v.modelHash === 'string' &&
    Array.isArray(v.shapes) &&
    Array.isArray(v.tensors)
  );
}

/**
 * Refuses a cache that does not belong to this model and run, naming the first difference:
 * reusing importances of other weights, another kind or another batch size would silently
 * select the wrong parameters.
 */
export async function checkImportanceSet(
  method: string,
  value: unknown,
  model: ModelAdapter,
  expected: { kind: ImportanceKind; batchSize: number },
): Promise<ImportanceSet> {
  if (!isImportanceSet(value)) {
    throw new UnlearnError(
      'MISMATCH',
      `${method}: request.importances is not an ImportanceSet (use computeImportances() or loadImportances() from @unlearn/ssd)`,
    );
  }
  if (value.kind !== expected.kind) {
    throw new UnlearnError(
      'MISMATCH',
      `${method}: the cached importances are ${KIND_LABEL[value.kind]} but ${method} needs ${KIND_LABEL[expected.kind]} importances; recompute them with kind '${expected.kind}'`,
    );
  }
  if (value.batchSize !== expected.batchSize) {
    throw new UnlearnError(
      'MISMATCH',
      `${method}: the cached importances were computed with batch size ${value.batchSize} but this run uses batchSize ${expected.batchSize}; importance values depend on the batch size, so pass batchSize: ${value.batchSize} or recompute`,
    );
  }
  const vars = model.trainable;
  const shapeOf = (s: readonly number[]) => `[${s.join(', ')}]`;
  if (value.shapes.length !== vars.length || value.tensors.length !== vars.length) {
    throw new UnlearnError(
      'MISMATCH',
      `${method}: the cached importances cover ${value.tensors.length} variables but the model has ${vars.length} trainable variables`,
    );
  }
  const names = variableNames(model);
  vars.forEach((v, i) => {
    const shape = v.variable.shape;
    for (const [label, got] of [['manifest', value.shapes[i]!], ['tensor', value.tensors[i]!.shape]] as const) {
      if (got.length !== shape.length || got.some((d, k) => d !== shape[k])) {
        throw new UnlearnError(
          'MISMATCH',
          `${method}: cached importance ${i} (${label}) has shape ${shapeOf(got)} but ${names[i]} has shape ${shapeOf(shape)}`,
        );
      }
    }
  });
  await checkValues(method, value.tensors, names);
  const hash = await hashWeights(model);
  if (value.modelHash !== hash) {
    throw new UnlearnError(
      'MISMATCH',
      `${method}: the cached importances belong to other weights (model hash ${value.modelHash.slice(0, 12)}…, this model ${hash.slice(0, 12)}…); recompute them for this model`,
    );
  }
  return value;
}

/**
 * Importances are means of squares or absolute values: finite and non-negative. A NaN would make
 * every comparison with it false and silently keep or dampen the wrong weights. One asynchronous
 * read for all variables (a GPU backend stalls on synchronous ones).
 */
async function checkValues(method: string, tensors: readonly tf.Tensor[], names: readonly string[]): Promise<void> {
  const summary = tf.tidy(() =>
    tf.stack(tensors.flatMap((t) => [tf.cast(tf.all(tf.isFinite(t)), 'float32'), tf.cast(tf.min(tf.where(tf.isFinite(t), t, tf.zerosLike(t))), 'float32')])),
  );
  const values = await summary.data();
  summary.dispose();
  for (let i = 0; i < tensors.length; i++) {
    const where = { split: 'importances', index: i };
    if (values[2 * i] !== 1) {
      throw new UnlearnError('NON_FINITE', `${method}: cached importance ${i} (${names[i]}) contains NaN or Infinity; recompute the importances`, where);
    }
    if (values[2 * i + 1]! < 0) {
      throw new UnlearnError(
        'MISMATCH',
        `${method}: cached importance ${i} (${names[i]}) has negative values (as low as ${values[2 * i + 1]}), which no importance kind produces; recompute the importances`,
        where,
      );
    }
  }
}
