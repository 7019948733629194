import * as tf from '@tensorflow/tfjs-core';
import { UnlearnError } from '../errors.js';
import type { FunctionModel, ModelAdapter, NamedVariable } from './types.js';

export function isFunctionModel(model: unknown): model is FunctionModel {
  const m = model as Partial<FunctionModel> | null;
  return typeof m === 'object' && m !== null && Array.isArray(m.variables) && typeof m.apply === 'function';
}

export function functionAdapter(model: FunctionModel): ModelAdapter {
  const variables: NamedVariable[] = [
    ...model.variables.map((variable, i) => ({ name: `var_${i}`, variable, trainable: true })),
    ...(model.nonTrainableVariables ?? []).map((variable, i) => ({ name: `state_${i}`, variable, trainable: false })),
  ];
  const returnsProbabilities = model.outputs === 'probabilities';
  return {
    kind: 'function',
    model,
    trainable: variables.filter((v) => v.trainable),
    variables,
    inputShape: model.inputShape,
    numClasses: model.numClasses,
    // Without access to the pre-softmax values, log-probabilities are the closest stand-in:
    // they differ from the logits by a per-sample constant.
    logitsKind: returnsProbabilities ? 'log-probabilities' : 'logits',
    logits(x, options = {}) {
      const out = model.apply(x, { training: options.training ?? false });
      if (!returnsProbabilities) return out;
      return tf.tidy(() => tf.log(tf.maximum(out, 1e-12)));
    },
    probabilities(x, options = {}) {
      const out = model.apply(x, { training: options.training ?? false });
      if (returnsProbabilities) return out;
      return tf.tidy(() => tf.softmax(out));
    },
    async clone() {
      if (!model.clone) {
        throw new UnlearnError(
          'UNSUPPORTED_MODEL',
          'This function model has no clone(): pass { inPlace: true } to unlearn it in place, or give the model a clone() method',
        );
      }
      return functionAdapter(await model.clone());
    },
    dispose() {
      for (const v of variables) v.variable.dispose();
    },
  };
}
