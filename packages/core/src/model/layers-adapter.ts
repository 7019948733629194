import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import type { ModelAdapter, NamedVariable } from './types.js';

interface ActivationHolder {
  activation?: { getClassName(): string; apply(x: tf.Tensor): tf.Tensor };
}

// The final softmax of a Keras classifier hides the logits every method needs. The adapter
// swaps that layer's activation for a linear one for the duration of one forward pass,
// which keeps the graph (and its gradients) identical up to the softmax.
let linearActivation: ActivationHolder['activation'] | undefined;
function getLinearActivation(): NonNullable<ActivationHolder['activation']> {
  if (!linearActivation) {
    const layer = tfl.layers.activation({ activation: 'linear' }) as unknown as ActivationHolder;
    linearActivation = layer.activation!;
  }
  return linearActivation;
}

function finalSoftmaxLayer(model: LayersModel): ActivationHolder | undefined {
  const last = model.layers[model.layers.length - 1] as unknown as ActivationHolder | undefined;
  return last?.activation?.getClassName() === 'softmax' ? last : undefined;
}

export function isLayersModel(model: unknown): model is LayersModel {
  const m = model as Partial<LayersModel> | null;
  return (
    typeof m === 'object' && m !== null && Array.isArray(m.layers) && typeof m.getWeights === 'function' && typeof m.toJSON === 'function'
  );
}

export function layersAdapter(model: LayersModel): ModelAdapter {
  const softmaxLayer = finalSoftmaxLayer(model);
  const trainableSet = new Set(model.trainableWeights.map((w) => w.id));
  // originalName is stable across copies of a model; tfjs suffixes `name` to keep it unique
  // per process, so a copy's names would otherwise differ from the caller's.
  const variables: NamedVariable[] = [
    ...model.trainableWeights.map((w) => ({ name: w.originalName ?? w.name, variable: w.read() as tf.Variable, trainable: true })),
    ...model.weights
      .filter((w) => !trainableSet.has(w.id))
      .map((w) => ({ name: w.originalName ?? w.name, variable: w.read() as tf.Variable, trainable: false })),
  ];
  const inputShape = model.inputs[0]?.shape.slice(1);
  const outShape = model.outputs[0]?.shape;
  const numClasses = outShape && outShape.length === 2 && outShape[1] != null ? outShape[1] : undefined;

  const forward = (x: tf.Tensor, training: boolean) => model.apply(x, { training }) as tf.Tensor;

  const adapter: ModelAdapter = {
    kind: 'layers',
    model,
    trainable: variables.filter((v) => v.trainable),
    variables,
    inputShape,
    numClasses,
    logitsKind: 'logits',
    logits(x, options = {}) {
      const training = options.training ?? false;
      if (!softmaxLayer) return forward(x, training);
      const saved = softmaxLayer.activation;
      softmaxLayer.activation = getLinearActivation();
      try {
        return forward(x, training);
      } finally {
        softmaxLayer.activation = saved;
      }
    },
    probabilities(x, options = {}) {
      const training = options.training ?? false;
      if (softmaxLayer) return forward(x, training);
      return tf.tidy(() => tf.softmax(forward(x, training)));
    },
    async clone() {
      const copy = await tfl.models.modelFromJSON({ modelTopology: model.toJSON(null, false) as tf.io.ModelJSON['modelTopology'] });
      const weights = model.getWeights();
      copy.setWeights(weights);
      return layersAdapter(copy);
    },
    dispose() {
      model.dispose();
    },
  };
  return adapter;
}
