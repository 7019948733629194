import * as tf from '@tensorflow/tfjs-core';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import { createRng, isLayersModel, toModelAdapter, UnlearnError } from '@unlearn/core';
import type { ModelAdapter, UnlearnableModel } from '@unlearn/core';
import { drawInitial, type InitializerConfig } from './initializers.js';
import type { Reinit, RetrainOptions } from './options.js';

interface WeightLike {
  name: string;
  shape: number[];
  read(): tf.Tensor;
}

interface LayerLike {
  name: string;
  weights: WeightLike[];
  getConfig(): Record<string, unknown>;
  layers?: LayerLike[];
}

/** Weight name suffix → the layer config key of its initializer, where camelCase + 'Initializer' is wrong. */
const INITIALIZER_KEY: Record<string, string> = {
  depthwise_kernel: 'depthwiseInitializer',
  pointwise_kernel: 'pointwiseInitializer',
  recurrent_kernel: 'recurrentInitializer',
};

/** Leaf layers in order, looking inside nested models. */
function leafLayers(model: LayersModel): LayerLike[] {
  const out: LayerLike[] = [];
  const walk = (layers: LayerLike[]) => {
    for (const layer of layers) {
      if (Array.isArray(layer.layers)) walk(layer.layers);
      else out.push(layer);
    }
  };
  walk(model.layers as unknown as LayerLike[]);
  return out;
}

function initializerFor(layer: LayerLike, weight: WeightLike): InitializerConfig | undefined {
  // Clones name their weights 'dense_Dense1/kernel_1'; the suffix after '/' names the role.
  const suffix = weight.name.slice(weight.name.lastIndexOf('/') + 1).replace(/_\d+$/, '');
  const key = INITIALIZER_KEY[suffix] ?? `${suffix.replace(/_([a-z])/g, (_, ch: string) => ch.toUpperCase())}Initializer`;
  const value = layer.getConfig()[key];
  return value && typeof value === 'object' && 'className' in value ? (value as InitializerConfig) : undefined;
}

export interface ReinitializeOptions {
  reinit: Reinit;
  seed: number;
  /** A custom re-initialiser used instead of the built-in one. */
  init?: RetrainOptions['init'];
  /** Told about initialisers that fell back to Glorot-uniform. */
  warn?: (message: string) => void;
}

/**
 * Re-draws a model's weights in place, seeded. Layers models: every weight ('all') or those of the
 * last layer with weights ('head') from its layer's initializer config, batch-norm statistics
 * included (moving mean 0, variance 1 by default). Function models need `init` or `model.init(seed)`.
 * Returns the names of the variables it re-drew (all of them when a custom init ran).
 */
export async function reinitialize(model: UnlearnableModel | ModelAdapter, options: ReinitializeOptions): Promise<string[]> {
  const adapter = toModelAdapter(model);
  const { reinit, seed } = options;
  if (options.init) {
    await options.init(adapter.model, seed, reinit);
    return adapter.variables.map((v) => v.name);
  }
  if (adapter.kind === 'function') {
    const fm = adapter.model as { init?: (seed: number) => void };
    if (reinit === 'all' && typeof fm.init === 'function') {
      fm.init(seed);
      return adapter.variables.map((v) => v.name);
    }
    throw new UnlearnError(
      'UNSUPPORTED_MODEL',
      reinit === 'all'
        ? 'retrain: this function model has no init(seed) to re-initialise it; give the model an init(seed) method or pass the init option'
        : "retrain: reinit 'head' on a function model needs the init option, which knows which variables form the head",
    );
  }
  if (!isLayersModel(adapter.model)) throw new UnlearnError('UNSUPPORTED_MODEL', 'retrain: cannot re-initialise this model');
  const withWeights = leafLayers(adapter.model).filter((l) => l.weights.length > 0);
  const chosen = reinit === 'head' ? withWeights.slice(-1) : withWeights;
  const root = createRng(seed);
  const unknown = new Set<string>();
  const names: string[] = [];
  for (const layer of chosen) {
    // One generator per (layer, weight) position: a layer's draw does not depend on which other
    // layers are re-initialised, so 'head' gives the same head as 'all' under one seed.
    const layerIndex = withWeights.indexOf(layer);
    layer.weights.forEach((weight, w) => {
      const rng = root.fork(`layer${layerIndex}/weight${w}`);
      const values = drawInitial(initializerFor(layer, weight), weight.shape, rng, (className) =>
        unknown.add(`${weight.name} (${className})`),
      );
      const variable = weight.read() as tf.Variable;
      tf.tidy(() => {
        const t = tf.tensor(values, weight.shape, 'float32');
        variable.assign(variable.dtype === 'float32' ? t : tf.cast(t, variable.dtype));
      });
      names.push(weight.name);
    });
  }
  if (unknown.size > 0) {
    options.warn?.(`retrain: no seeded version of the initializer of ${[...unknown].join(', ')}; used Glorot-uniform instead`);
  }
  return names;
}
