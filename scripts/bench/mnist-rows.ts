import * as tf from '@tensorflow/tfjs-core';
import { unlearn } from '@unlearn/core';
import { jit } from '@unlearn/jit';
import { fisherImportance } from '@unlearn/ssd';
import { predictProbabilities } from '@unlearn/eval';
import { retrain } from '@unlearn/retrain';
import { buildMnistCnn } from '@unlearn/mnist-fixture';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import { mlp, mnistCnn, timeSteps, trainer } from '../../packages/core/bench/workloads.js';
import { timedMs, type Session, type Workload } from './workload.js';

export function images(n: number, seed: number) {
  return tf.tidy(() => ({
    x: tf.randomUniform([n, 28, 28, 1], 0, 1, 'float32', seed),
    y: tf.cast(tf.floor(tf.randomUniform([n], 0, 10, 'float32', seed + 1)), 'int32') as tf.Tensor1D,
  }));
}

/** Samples per second of 20 SGD steps of batch 64 (after 3 warm-up steps). */
function training(name: string, build: () => LayersModel, shape: number[], torchKey: Workload['torchKey'], target: number): Workload {
  return {
    name,
    tags: ['mnist', 'train'],
    unit: 'samples/s',
    torchKey,
    target,
    rounds: 7,
    async setup(): Promise<Session> {
      const t = trainer(build(), shape);
      return {
        warmup: async () => void timeSteps(t, 3, 0, 0),
        round: async () => timeSteps(t, 0, 20, 0).samplesPerSecond,
        dispose: () => t.dispose(),
      };
    },
  };
}

/** Samples per second of a retrain epoch (SGD, batch 64, no shuffling) of the MNIST CNN on 1,280 samples. */
function retrainEpoch(threads: number): Workload {
  return {
    name: `MNIST CNN retrain epoch, batch 64, SGD, ${threads === 1 ? '1 thread' : `${threads} threads`}`,
    tags: ['mnist', 'retrain'],
    unit: 'samples/s',
    torchKey: 'train_cnn_samples_per_s',
    target: 5,
    rounds: 3,
    async setup() {
      const data = images(1280, 7);
      const forget = { x: tf.slice(data.x, 0, 8) };
      const method = retrain({ epochs: 1, batchSize: 64, optimizer: 'sgd', learningRate: 0.01, momentum: 0, shuffle: false, threads });
      const once = async () => {
        const model = buildMnistCnn(1);
        const result = await unlearn(model, { forget, retain: data }, method);
        result.model.dispose();
        model.dispose();
        return result.details.samplesPerSecond as number;
      };
      return { warmup: async () => void (await once()), round: once, dispose: () => tf.dispose([data.x, data.y, forget.x]) };
    },
  };
}

function jitStep(label: string, build: () => LayersModel, flat: boolean, threads: number): Workload {
  return {
    name: `JiT step, ${label}, N=25, batch 64, ${threads === 1 ? '1 thread' : `${threads} threads`}`,
    tags: ['mnist', 'jit'],
    unit: 'ms',
    torchKey: flat ? 'jit_step_mlp_ms' : 'jit_step_cnn_ms',
    target: 1.5,
    rounds: 7,
    async setup() {
      const model = build();
      const { x, y } = images(64, 3);
      const input = flat ? tf.reshape(x, [64, 784]) : x;
      // One forget batch of 64 = exactly one JiT step, through the public entry point.
      const method = jit({ sigma: 0.1, lr: 1e-3, nSamples: 25, batchSize: 64, threads });
      const step = () => timedMs(() => unlearn(model, { forget: { x: input } }, method, { inPlace: true }));
      return {
        warmup: async () => void (await step()),
        round: step,
        dispose: () => {
          tf.dispose([x, y, input]);
          model.dispose();
        },
      };
    },
  };
}

function importance(threads: number): Workload {
  return {
    name: `SSD importance, 1,000 CNN samples, batch 64, ${threads === 1 ? '1 thread' : `${threads} worker threads`}`,
    tags: ['mnist', 'ssd'],
    unit: 'ms',
    torchKey: 'ssd_importance_cnn_ms',
    target: 4,
    rounds: 5,
    async setup() {
      const model = buildMnistCnn(1);
      const data = images(1000, 5);
      const pass = () => timedMs(async () => tf.dispose(await fisherImportance(model, data, { batchSize: 64, threads })));
      return {
        warmup: async () => void (await pass()),
        round: pass,
        dispose: () => {
          tf.dispose([data.x, data.y]);
          model.dispose();
        },
      };
    },
  };
}

/** Softmax outputs of the MNIST CNN on 10,000 samples (batch 256), as eval computes them. */
function predictions(threads: number): Workload {
  return {
    name: `Predictions (eval), 10,000 CNN samples, batch 256, ${threads === 1 ? '1 thread' : `${threads} threads`}`,
    tags: ['mnist', 'eval'],
    unit: 'ms',
    torchKey: 'predict_cnn_ms',
    rounds: 3,
    async setup() {
      const model = buildMnistCnn(1);
      const { x, y } = images(10_000, 9);
      const pass = () => timedMs(() => predictProbabilities(model, x, { batchSize: 256, threads }));
      return {
        warmup: async () => void (await pass()),
        round: pass,
        dispose: () => {
          tf.dispose([x, y]);
          model.dispose();
        },
      };
    },
  };
}

export function mnistRows(): Workload[] {
  return [
    training('MLP 784-256-128-10 training, batch 64, SGD', mlp, [784], 'train_mlp_samples_per_s', 4),
    training('MNIST CNN training, batch 64, SGD', mnistCnn, [28, 28, 1], 'train_cnn_samples_per_s', 5),
    retrainEpoch(1),
    retrainEpoch(2),
    jitStep('MNIST CNN', () => buildMnistCnn(1), false, 1),
    jitStep('MNIST CNN', () => buildMnistCnn(1), false, 2),
    jitStep('MLP 784-256-128-10', mlp, true, 1),
    jitStep('MLP 784-256-128-10', mlp, true, 2),
    importance(1),
    importance(2),
    predictions(1),
    predictions(2),
  ];
}
