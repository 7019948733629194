import * as tf from '@tensorflow/tfjs-core';
import type { ModelAdapter } from '../model/types.js';

/** Copies of every variable's value, to restore a model exactly after a failed run. */
export interface WeightSnapshot {
  readonly names: readonly string[];
  readonly values: readonly tf.Tensor[];
  dispose(): void;
}

export function snapshotWeights(model: ModelAdapter): WeightSnapshot {
  const values = model.variables.map((v) => tf.keep(v.variable.clone()));
  return {
    names: model.variables.map((v) => v.name),
    values,
    dispose: () => values.forEach((t) => t.dispose()),
  };
}

/** Writes the snapshot back; values are byte-identical to when it was taken. */
export function restoreWeights(model: ModelAdapter, snapshot: WeightSnapshot): void {
  model.variables.forEach((v, i) => {
    const value = snapshot.values[i];
    if (!value) throw new Error(`snapshot has no value for ${v.name}`);
    v.variable.assign(value);
  });
}

export interface ParameterChange {
  name: string;
  shape: number[];
  /** False for state such as batch-norm moving statistics, which no gradient step touches. */
  trainable: boolean;
  /** Entries whose value differs. */
  changed: number;
  size: number;
  /** ‖after − before‖₂ / ‖before‖₂ (0 when before is all zeros and nothing changed). */
  relativeChange: number;
  maxAbsChange: number;
}

/** Per-variable summary of what a run changed, against a model or a snapshot of the same layout. */
export async function diffWeights(before: ModelAdapter | WeightSnapshot, after: ModelAdapter): Promise<ParameterChange[]> {
  const names = 'variables' in before ? before.variables.map((v) => v.name) : before.names;
  const values: readonly tf.Tensor[] = 'variables' in before ? before.variables.map((v) => v.variable) : before.values;
  const changes: ParameterChange[] = [];
  for (let i = 0; i < values.length; i++) {
    const b = after.variables[i];
    if (!b) break;
    changes.push({ ...(await diffPair(names[i]!, values[i]!, b.variable)), trainable: b.trainable });
  }
  return changes;
}

async function diffPair(name: string, a: tf.Tensor, b: tf.Tensor): Promise<Omit<ParameterChange, 'trainable'>> {
  const [av, bv] = await Promise.all([a.data(), b.data()]);
  const { changed, relativeChange, maxAbsChange } = diffValues(av as tf.TypedArray, bv as tf.TypedArray);
  return { name, shape: a.shape.slice(), changed, size: av.length, relativeChange, maxAbsChange };
}

/** What changed from `before` to `after` (same length), and whether every `after` value is finite, in one loop. */
export function diffValues(
  before: tf.TypedArray,
  after: tf.TypedArray,
): Pick<ParameterChange, 'changed' | 'relativeChange' | 'maxAbsChange'> & { finite: boolean } {
  let changed = 0;
  let sq = 0;
  let base = 0;
  let maxAbs = 0;
  let finite = true;
  for (let j = 0; j < before.length; j++) {
    const x = before[j] as number;
    const y = after[j] as number;
    const d = y - x;
    if (d !== 0 || Number.isNaN(d)) changed++;
    if (!Number.isFinite(y)) finite = false;
    sq += d * d;
    base += x * x;
    maxAbs = Math.max(maxAbs, Math.abs(d));
  }
  return { changed, relativeChange: base > 0 ? Math.sqrt(sq / base) : Math.sqrt(sq), maxAbsChange: maxAbs, finite };
}

/** Names of variables holding NaN or ±Inf. */
export async function nonFiniteVariables(model: ModelAdapter): Promise<string[]> {
  const flags = tf.tidy(() =>
    tf.stack(model.variables.map((v) => tf.cast(tf.all(tf.isFinite(v.variable)), 'int32'))),
  );
  const values = await flags.data();
  flags.dispose();
  return model.variables.filter((_, i) => values[i] === 0).map((v) => v.name);
}

/**
 * SHA-256 over every variable's shape and float32 bytes, in model order. Two models with
 * equal hashes hold the same weights; used by deletion records and importance caches.
 */
export async function hashWeights(model: ModelAdapter): Promise<string> {
  const values: tf.TypedArray[] = [];
  for (const v of model.variables) values.push((await v.variable.data()) as tf.TypedArray);
  return hashOfValues(
    model.variables.map((v) => v.variable.shape),
    model.variables.map((v) => v.variable.dtype),
    values,
  );
}

/** `hashWeights` of variables already read: their shapes, dtypes and values in model order. */
export function hashOfValues(
  shapes: readonly (readonly number[])[],
  dtypes: readonly tf.DataType[],
  values: readonly tf.TypedArray[],
): Promise<string> {
  const text = new TextEncoder();
  const parts: Uint8Array[] = [];
  values.forEach((data, i) => {
    parts.push(text.encode(`${shapes[i]!.join('x')}:${dtypes[i]};`));
    parts.push(new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
  });
  return sha256Hex(parts);
}

export async function sha256Hex(parts: readonly Uint8Array[]): Promise<string> {
  const total = parts.reduce((n, p) => n + p.byteLength, 0);
  const joined = new Uint8Array(total);
  let offset = 0;
  for (const p of parts) {
    joined.set(p, offset);
    offset += p.byteLength;
  }
  const digest = await globalThis.crypto.subtle.digest('SHA-256', joined);
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, '0')).join('');
}
