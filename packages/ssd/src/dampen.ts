import * as tf from '@tensorflow/tfjs-core';
import { toModelAdapter, UnlearnError, type ModelAdapter, type UnlearnableModel } from '@unlearn/core';
import { layerMask, variableNames, type LayerFilter } from './layer-filter.js';

export interface DampenOptions {
  alpha: number;
  lambda: number;
  exponent: number;
  cap: number;
  layers?: LayerFilter;
}

export interface VariableSelection {
  name: string;
  /** Parameters selected (and so dampened) in this variable. */
  selected: number;
  size: number;
  fraction: number;
  /** Selected parameters whose factor hit the cap (with cap 1: left unchanged although selected). */
  capped: number;
  /** False when the `layers` filter excluded this variable. */
  eligible: boolean;
}

export interface SelectionReport {
  variables: VariableSelection[];
  selected: number;
  size: number;
  fraction: number;
  capped: number;
}

function checkImportances(model: ModelAdapter, imps: readonly tf.Tensor[], what: string): void {
  const vars = model.trainable;
  if (imps.length !== vars.length) {
    throw new UnlearnError('MISMATCH', `${what} has ${imps.length} tensors but the model has ${vars.length} trainable variables`);
  }
  imps.forEach((t, i) => {
    const shape = vars[i]!.variable.shape;
    if (t.shape.length !== shape.length || t.shape.some((d, k) => d !== shape[k])) {
      throw new UnlearnError(
        'MISMATCH',
        `${what}[${i}] has shape [${t.shape.join(', ')}] but ${vars[i]!.name} has shape [${shape.join(', ')}]`,
      );
    }
  });
}

/**
 * SSD's selection and dampening (docs/algorithms/ssd.md, The math in short), in place: where
 * I_forget > α·I_train (strict), θ ← min((λ·I_train/I_forget)^e, cap)·θ; everything else is
 * untouched. The ratio is taken only where selected, so I_forget = 0 never produces NaN or
 * Infinity; I_train = 0 with I_forget > 0 gives a factor of 0.
 */
export async function selectAndDampen(
  model: UnlearnableModel | ModelAdapter,
  impTrain: readonly tf.Tensor[],
  impForget: readonly tf.Tensor[],
  options: DampenOptions,
  method = 'ssd',
): Promise<SelectionReport> {
  const adapter = toModelAdapter(model);
  checkImportances(adapter, impTrain, 'impTrain');
  checkImportances(adapter, impForget, 'impForget');
  const { alpha, lambda, exponent, cap } = options;
  const names = variableNames(adapter);
  const eligible = layerMask(method, names, options.layers);
  const counts = tf.tidy(() => {
    const perVar = adapter.trainable.map(({ variable }, i) => {
      if (!eligible[i]) return tf.zeros([2], 'int32');
      const iD = impTrain[i]!;
      const iF = impForget[i]!;
      const selected = tf.greater(iF, tf.mul(iD, alpha));
      const ratio = tf.div(tf.mul(iD, lambda), tf.where(selected, iF, tf.onesLike(iF)));
      const powered = exponent === 1 ? ratio : tf.pow(ratio, exponent);
      const capped = tf.logicalAnd(selected, tf.greaterEqual(powered, cap));
      const beta = tf.minimum(powered, cap);
      variable.assign(tf.where(selected, tf.mul(variable, beta), variable));
      return tf.stack([tf.sum(tf.cast(selected, 'int32')), tf.sum(tf.cast(capped, 'int32'))]);
    });
    return tf.stack(perVar);
  });
  const values = await counts.data();
  counts.dispose();
  const variables = adapter.trainable.map(({ variable }, i): VariableSelection => {
    const selected = values[2 * i]!;
    return { name: names[i]!, selected, size: variable.size, fraction: selected / variable.size, capped: values[2 * i + 1]!, eligible: eligible[i]! };
  });
  const selected = variables.reduce((n, v) => n + v.selected, 0);
  const size = variables.reduce((n, v) => n + v.size, 0);
  return { variables, selected, size, fraction: size === 0 ? 0 : selected / size, capped: variables.reduce((n, v) => n + v.capped, 0) };
}
