import { UnlearnError } from '../errors.js';

/**
 * A tfjs `GraphModel` (tfjs-converter's `loadGraphModel`), recognised by its methods so that core
 * needs no dependency on tfjs-converter.
 */
export function isGraphModel(model: unknown): boolean {
  const m = model as { executeAsync?: unknown; execute?: unknown; layers?: unknown } | null;
  return typeof m === 'object' && m !== null && typeof m.executeAsync === 'function' && typeof m.execute === 'function' && !Array.isArray(m.layers);
}

/**
 * Why a graph model cannot be unlearned, and the fix. Its weights are constants frozen into the
 * graph, so there is nothing for a gradient step or a dampening factor to change.
 */
export function graphModelError(what: string): UnlearnError {
  return new UnlearnError(
    'UNSUPPORTED_MODEL',
    `${what} is a tfjs GraphModel, which is inference-only: its weights are frozen constants that no method can change. ` +
      'Convert the Keras model to a layers model instead (tensorflowjs_converter --input_format keras model.h5 out/, ' +
      'or --input_format keras_saved_model for a Keras SavedModel) and load that with tf.loadLayersModel or loadModel ' +
      'from @unlearn/core/node',
  );
}
