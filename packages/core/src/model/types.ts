import type * as tf from '@tensorflow/tfjs-core';
import type { LayersModel } from '@tensorflow/tfjs-layers';

/**
 * A model that is not a Keras-style `LayersModel`: its trainable variables and a forward
 * function. `apply` must read the variables (not copies) so that gradient steps apply.
 */
export interface FunctionModel {
  variables: tf.Variable[];
  apply(x: tf.Tensor, options: { training: boolean }): tf.Tensor;
  /** Variables that are state but not trained (e.g. batch-norm statistics). */
  nonTrainableVariables?: tf.Variable[];
  /** Input shape without the batch dimension, used to check forget data up front. */
  inputShape?: readonly (number | null)[];
  /** Number of classes, used to check labels. */
  numClasses?: number;
  /** Whether `apply` returns logits (default) or probabilities. */
  outputs?: 'logits' | 'probabilities';
  /** A deep copy with its own variables; needed unless runs are `inPlace`. */
  clone?(): FunctionModel | Promise<FunctionModel>;
  /** Re-initialises every variable in place (used by retraining). */
  init?(seed: number): void;
}

export type UnlearnableModel = LayersModel | FunctionModel;

export interface NamedVariable {
  /** Stable within one model: the variable's name for layers models, `var_<i>` otherwise. */
  name: string;
  variable: tf.Variable;
  trainable: boolean;
}

/** One adapter over both model kinds; algorithms only ever see this. */
export interface ModelAdapter {
  readonly kind: 'layers' | 'function';
  readonly model: UnlearnableModel;
  /** Trainable variables, in the model's own order. */
  readonly trainable: readonly NamedVariable[];
  /** Every variable, trainable first, then state such as batch-norm statistics. */
  readonly variables: readonly NamedVariable[];
  readonly inputShape: readonly (number | null)[] | undefined;
  readonly numClasses: number | undefined;
  /** What `logits` really returns: logits, or log-probabilities when only softmax outputs exist. */
  readonly logitsKind: 'logits' | 'log-probabilities';
  /** Pre-softmax outputs [b, C]. */
  logits(x: tf.Tensor, options?: { training?: boolean }): tf.Tensor;
  /** Softmax probabilities [b, C]. */
  probabilities(x: tf.Tensor, options?: { training?: boolean }): tf.Tensor;
  /** A deep copy (own variables, same values). */
  clone(): Promise<ModelAdapter>;
  dispose(): void;
}
