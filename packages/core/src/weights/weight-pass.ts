import type * as tf from '@tensorflow/tfjs-core';
import type { ModelAdapter } from '../model/types.js';
import { diffValues, hashOfValues, type ParameterChange } from './weights.js';

/**
 * Every variable of a model read to the CPU once, with what that one read tells: which variables
 * hold NaN or ±Inf and, on demand, the model's `hashWeights`. The runner takes one before a
 * run and one after (`readWeightsAgainst`), instead of a read for each check.
 */
export interface WeightRead {
  readonly names: readonly string[];
  readonly shapes: readonly (readonly number[])[];
  readonly dtypes: readonly tf.DataType[];
  /** The values as read; on the cpu backend these are the tensors' own buffers, so never write to them. */
  readonly values: readonly tf.TypedArray[];
  /** Names of the variables holding NaN or ±Inf, in model order. */
  readonly nonFinite: readonly string[];
  /** Equal to `hashWeights` of the model at the time of the read, from the bytes already read. */
  hash(): Promise<string>;
}

/** One read of every variable of `model`. */
export async function readWeights(model: ModelAdapter): Promise<WeightRead> {
  const values: tf.TypedArray[] = [];
  const nonFinite: string[] = [];
  for (const v of model.variables) {
    const data = (await v.variable.data()) as tf.TypedArray;
    values.push(data);
    if (!allFinite(data)) nonFinite.push(v.name);
  }
  return weightRead(model, values, nonFinite);
}

/**
 * One read of every variable of `after`, compared with `before` (a read of the same layout):
 * the per-variable changes of `diffWeights`, from the same loop that checks finiteness.
 */
export async function readWeightsAgainst(before: WeightRead, after: ModelAdapter): Promise<WeightRead & { changes: ParameterChange[] }> {
  const values: tf.TypedArray[] = [];
  const nonFinite: string[] = [];
  const changes: ParameterChange[] = [];
  for (const [i, v] of after.variables.entries()) {
    const data = (await v.variable.data()) as tf.TypedArray;
    values.push(data);
    const old = before.values[i];
    let finite: boolean;
    if (old) {
      const { changed, relativeChange, maxAbsChange, finite: ok } = diffValues(old, data);
      // The key order of diffWeights, so reports serialise alike.
      changes.push({ name: before.names[i]!, shape: before.shapes[i]!.slice(), changed, size: old.length, relativeChange, maxAbsChange, trainable: v.trainable });
      finite = ok;
    } else {
      finite = allFinite(data);
    }
    if (!finite) nonFinite.push(v.name);
  }
  return { ...weightRead(after, values, nonFinite), changes };
}

function weightRead(model: ModelAdapter, values: tf.TypedArray[], nonFinite: string[]): WeightRead {
  const shapes = model.variables.map((v) => v.variable.shape.slice());
  const dtypes = model.variables.map((v) => v.variable.dtype);
  return {
    names: model.variables.map((v) => v.name),
    shapes,
    dtypes,
    values,
    nonFinite,
    hash: () => hashOfValues(shapes, dtypes, values),
  };
}

function allFinite(values: tf.TypedArray): boolean {
  for (let j = 0; j < values.length; j++) {
    if (!Number.isFinite(values[j] as number)) return false;
  }
  return true;
}
