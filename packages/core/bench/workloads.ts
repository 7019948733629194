import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';

export const BATCH = 64;

/** input 28x28x1, conv3x3x16-relu-maxpool2, conv3x3x32-relu-maxpool2, flatten, dense128-relu, dense10. */
export function mnistCnn(): tfl.Sequential {
  return tfl.sequential({
    layers: [
      tfl.layers.conv2d({ inputShape: [28, 28, 1], filters: 16, kernelSize: 3, activation: 'relu' }),
      tfl.layers.maxPooling2d({ poolSize: 2 }),
      tfl.layers.conv2d({ filters: 32, kernelSize: 3, activation: 'relu' }),
      tfl.layers.maxPooling2d({ poolSize: 2 }),
      tfl.layers.flatten(),
      tfl.layers.dense({ units: 128, activation: 'relu' }),
      tfl.layers.dense({ units: 10 }),
    ],
  });
}

export function mlp(): tfl.Sequential {
  return tfl.sequential({
    layers: [
      tfl.layers.dense({ inputShape: [784], units: 256, activation: 'relu' }),
      tfl.layers.dense({ units: 128, activation: 'relu' }),
      tfl.layers.dense({ units: 10 }),
    ],
  });
}

export interface Trainer {
  /** Samples per step. */
  batch: number;
  /** One SGD step on the fixed batch; returns the loss (read outside any tidy). */
  step(): number;
  dispose(): void;
}

/**
 * Random data is enough for throughput; the batch is reused so only training is timed.
 * `logits` replaces `model.apply` for models that end in a softmax or need training mode.
 */
export function trainer(
  model: tfl.LayersModel,
  inputShape: number[],
  logits?: (x: tf.Tensor) => tf.Tensor,
  batch = BATCH,
): Trainer {
  const x = tf.randomNormal([batch, ...inputShape]);
  const labels = tf.randomUniform([batch], 0, 10, 'int32');
  const y = tf.oneHot(labels as tf.Tensor1D, 10);
  labels.dispose();
  const optimizer = tf.train.sgd(0.01);
  const vars = model.trainableWeights.map((w) => w.read() as tf.Variable);
  const forward = logits ?? ((input: tf.Tensor) => model.apply(input) as tf.Tensor);
  const loss = () => tf.losses.softmaxCrossEntropy(y, forward(x)) as tf.Scalar;
  return {
    batch,
    step() {
      const cost = optimizer.minimize(loss, true, vars);
      if (!cost) throw new Error('minimize returned no cost');
      const value = cost.dataSync()[0]!;
      cost.dispose();
      return value;
    },
    dispose() {
      tf.dispose([x, y]);
      optimizer.dispose();
      model.dispose();
    },
  };
}

export interface Timing {
  steps: number;
  seconds: number;
  samplesPerSecond: number;
  /** Samples per second of this process's CPU time: steadier than wall time on a shared machine. */
  samplesPerCpuSecond: number;
  tensorsLeaked: number;
}

/** Warm-up steps, then at least `minSteps` and until `minSeconds` have passed. */
export function timeSteps(t: Trainer, warmup: number, minSteps: number, minSeconds: number): Timing {
  for (let i = 0; i < warmup; i++) t.step();
  const before = tf.memory().numTensors;
  const cpuStart = process.cpuUsage();
  const start = performance.now();
  let steps = 0;
  while (steps < minSteps || performance.now() - start < minSeconds * 1000) {
    t.step();
    steps++;
  }
  const seconds = (performance.now() - start) / 1000;
  const cpu = process.cpuUsage(cpuStart);
  return {
    steps,
    seconds,
    samplesPerSecond: (steps * t.batch) / seconds,
    samplesPerCpuSecond: (steps * t.batch) / ((cpu.user + cpu.system) / 1e6),
    tensorsLeaked: tf.memory().numTensors - before,
  };
}
