import * as tf from '@tensorflow/tfjs-core';
import { unlearn } from '@unlearn/core';
import { jit } from '@unlearn/jit';
import { mlp, trainer } from '../../packages/core/bench/workloads.js';
import { images } from './mnist-rows.js';

export interface LeakRow {
  workload: string;
  steps: number;
  leaked: number;
}

/** Tensors alive after `steps` repetitions minus before (after one warm-up): 0 means no leak. */
async function leakOver(steps: number, step: () => Promise<void>): Promise<number> {
  await step();
  const before = tf.memory().numTensors;
  for (let i = 0; i < steps; i++) await step();
  return tf.memory().numTensors - before;
}

export async function leaks(steps: number): Promise<LeakRow[]> {
  const t = trainer(mlp(), [784]);
  const training = await leakOver(steps, async () => void t.step());
  t.dispose();
  const model = mlp();
  const { x, y } = images(64, 9);
  const flat = tf.reshape(x, [64, 784]);
  const method = jit({ sigma: 0.1, lr: 1e-5, nSamples: 25, batchSize: 64, threads: 1 });
  const jitSteps = await leakOver(steps, async () => void (await unlearn(model, { forget: { x: flat } }, method, { inPlace: true })));
  const split = jit({ sigma: 0.1, lr: 1e-5, nSamples: 25, batchSize: 64, threads: 2 });
  const jitSplitSteps = await leakOver(steps, async () => void (await unlearn(model, { forget: { x: flat } }, split, { inPlace: true })));
  tf.dispose([x, y, flat]);
  model.dispose();
  return [
    { workload: 'MLP training step (SGD)', steps, leaked: training },
    { workload: 'JiT step through unlearn(), MLP, inPlace, 1 thread', steps, leaked: jitSteps },
    { workload: 'JiT step through unlearn(), MLP, inPlace, 2 threads', steps, leaked: jitSplitSteps },
  ];
}
