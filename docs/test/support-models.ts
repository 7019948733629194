import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import { loadGraphModel } from '@tensorflow/tfjs-converter';
import { createRng, type FunctionModel, type UnlearnableModel } from '@unlearn/core';
import { loadModel } from '@unlearn/core/node';
import { seedWeights, tinyBatchNormClassifier, tinyClassifier } from '@unlearn/core/testing';

// The models of the support matrix (docs/guide/models.md), one per row, each as small as the
// architecture allows. Vector models take 8 inputs, image models 6×6×2; all have 3 classes.

export const INPUT_DIM = 8;
export const IMAGE_SHAPE = [6, 6, 2] as const;

/** input → dense (relu) → add(input, dense) → dense (softmax): a residual block. */
function skipConnection(): LayersModel {
  const input = tfl.input({ shape: [INPUT_DIM] });
  const hidden = tfl.layers.dense({ units: INPUT_DIM, activation: 'relu' }).apply(input) as tfl.SymbolicTensor;
  const sum = tfl.layers.add().apply([input, hidden]) as tfl.SymbolicTensor;
  const output = tfl.layers.dense({ units: 3, activation: 'softmax' }).apply(sum) as tfl.SymbolicTensor;
  const model = tfl.model({ inputs: input, outputs: output });
  seedWeights(model, 2);
  return model;
}

function withDropout(): LayersModel {
  const model = tfl.sequential({
    layers: [
      tfl.layers.dense({ inputShape: [INPUT_DIM], units: 16, activation: 'relu' }),
      tfl.layers.dropout({ rate: 0.5 }),
      tfl.layers.dense({ units: 3, activation: 'softmax' }),
    ],
  });
  seedWeights(model, 3);
  return model;
}

function depthwise(): LayersModel {
  const model = tfl.sequential({
    layers: [
      tfl.layers.depthwiseConv2d({ inputShape: [...IMAGE_SHAPE], kernelSize: 3, depthMultiplier: 2, activation: 'relu' }),
      tfl.layers.flatten(),
      tfl.layers.dense({ units: 3, activation: 'softmax' }),
    ],
  });
  seedWeights(model, 4);
  return model;
}

/** A Sequential block used as a layer of a functional model. */
function nested(): LayersModel {
  const block = tfl.sequential({
    layers: [tfl.layers.dense({ inputShape: [INPUT_DIM], units: 12, activation: 'relu' }), tfl.layers.dense({ units: 6, activation: 'relu' })],
  });
  const input = tfl.input({ shape: [INPUT_DIM] });
  const features = block.apply(input) as tfl.SymbolicTensor;
  const output = tfl.layers.dense({ units: 3, activation: 'softmax' }).apply(features) as tfl.SymbolicTensor;
  const model = tfl.model({ inputs: input, outputs: output });
  seedWeights(model, 5);
  return model;
}

/**
 * A layer tfjs-layers does not have: a learned per-feature gate x · sigmoid(g). Registered, so
 * that the runner's copy (built from the model's JSON) finds the class.
 */
class FeatureGate extends tfl.layers.Layer {
  static className = 'FeatureGate';
  private gate?: tfl.LayerVariable;
  override build(inputShape: tfl.Shape | tfl.Shape[]): void {
    const shape = inputShape as tfl.Shape;
    this.gate = this.addWeight('gate', [shape[shape.length - 1]!], 'float32', tfl.initializers.zeros());
    this.built = true;
  }
  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => {
      const x = Array.isArray(inputs) ? inputs[0]! : inputs;
      return tf.mul(x, tf.sigmoid(this.gate!.read()));
    });
  }
}
tf.serialization.registerClass(FeatureGate);

function registeredCustomLayer(): LayersModel {
  const model = tfl.sequential({
    layers: [
      tfl.layers.dense({ inputShape: [INPUT_DIM], units: 16, activation: 'relu' }),
      new FeatureGate({}),
      tfl.layers.dense({ units: 3, activation: 'softmax' }),
    ],
  });
  seedWeights(model, 6);
  return model;
}

/**
 * A custom layer as a function model: dense → gate x · sigmoid(g) → dense, written with tfjs ops.
 * `clone` and `init` make it work with copies (every run not in place) and with retrain.
 */
export function gatedFunctionModel(seed = 7): FunctionModel {
  const draw = (shape: number[], s: number) => {
    const rng = createRng(s).fork('gated');
    const limit = Math.sqrt(6 / (shape[0]! + shape[shape.length - 1]!));
    return tf.tensor(Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => (rng.next() * 2 - 1) * limit), shape);
  };
  const [w1, b1, gate, w2, b2] = tf.tidy(() => [
    tf.variable(draw([INPUT_DIM, 16], seed)),
    tf.variable(tf.fill([16], 0.01)),
    tf.variable(tf.zeros([16])),
    tf.variable(draw([16, 3], seed + 1)),
    tf.variable(tf.zeros([3])),
  ]);
  const variables = [w1!, b1!, gate!, w2!, b2!];
  return {
    variables,
    apply: (x) =>
      tf.tidy(() => {
        const hidden = tf.relu(tf.add(tf.matMul(x as tf.Tensor2D, w1!), b1!));
        return tf.add(tf.matMul(tf.mul(hidden, tf.sigmoid(gate!)), w2!), b2!);
      }),
    inputShape: [INPUT_DIM],
    numClasses: 3,
    clone: () => {
      const copy = gatedFunctionModel(seed);
      copy.variables.forEach((v, i) => v.assign(variables[i]!));
      return copy;
    },
    init: (s) => {
      const fresh = gatedFunctionModel(s);
      variables.forEach((v, i) => v.assign(fresh.variables[i]!));
      fresh.variables.forEach((v) => v.dispose());
    },
  };
}

/** The graph the converter would make of a linear classifier: logits = x · W, W frozen into a Const. */
export async function tinyGraphModel(): Promise<UnlearnableModel> {
  const node = [
    { name: 'x', op: 'Placeholder', attr: { dtype: { type: 'DT_FLOAT' }, shape: { shape: { dim: [{ size: '-1' }, { size: String(INPUT_DIM) }] } } } },
    { name: 'w', op: 'Const', attr: { dtype: { type: 'DT_FLOAT' }, value: { tensor: { dtype: 'DT_FLOAT', tensorShape: { dim: [{ size: String(INPUT_DIM) }, { size: '3' }] } } } } },
    { name: 'logits', op: 'MatMul', input: ['x', 'w'], attr: { T: { type: 'DT_FLOAT' }, transpose_a: { b: false }, transpose_b: { b: false } } },
  ];
  const weightData = new Float32Array(INPUT_DIM * 3).map((_, i) => ((i % 7) - 3) / 10).buffer;
  const graph = await loadGraphModel(
    tf.io.fromMemory({ modelTopology: { node, library: {}, versions: {} }, weightSpecs: [{ name: 'w', shape: [INPUT_DIM, 3], dtype: 'float32' }], weightData, format: 'graph-model' }),
  );
  return graph as unknown as UnlearnableModel;
}

export const KERAS_FIXTURE = fileURLToPath(new URL('./fixtures/keras-mlp/model.json', import.meta.url));

export interface SupportRow {
  /** The first cell of the row in docs/guide/models.md. */
  row: string;
  input: 'vector' | 'image';
  build(): UnlearnableModel | Promise<UnlearnableModel>;
  /** Refused by every method with this error code and message. */
  refused?: { code: string; message: RegExp };
}

export const SUPPORT_ROWS: SupportRow[] = [
  { row: 'Sequential', input: 'vector', build: () => tinyClassifier({ inputDim: INPUT_DIM, hidden: 16, classes: 3, seed: 1 }) },
  { row: 'Functional with a skip connection', input: 'vector', build: skipConnection },
  { row: 'BatchNormalization (+ Dropout)', input: 'vector', build: () => tinyBatchNormClassifier({ inputDim: INPUT_DIM, seed: 8 }) },
  { row: 'Dropout', input: 'vector', build: withDropout },
  { row: 'Depthwise convolution', input: 'image', build: depthwise },
  { row: 'Nested model', input: 'vector', build: nested },
  { row: 'Custom layer, registered tfjs-layers class', input: 'vector', build: registeredCustomLayer },
  { row: 'Custom layer, function model', input: 'vector', build: () => gatedFunctionModel() },
  { row: 'Keras model converted to a layers model', input: 'vector', build: () => loadModel(KERAS_FIXTURE) },
  {
    row: '`tf.GraphModel`',
    input: 'vector',
    build: tinyGraphModel,
    refused: { code: 'UNSUPPORTED_MODEL', message: /GraphModel, which is inference-only.*Convert the Keras model to a layers model/ },
  },
];
