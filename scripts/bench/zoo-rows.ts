import * as tf from '@tensorflow/tfjs-core';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import { toModelAdapter, unlearn } from '@unlearn/core';
import { jit } from '@unlearn/jit';
import { fisherImportance } from '@unlearn/ssd';
import { buildMobileNetV2, buildResNet18, cifarLike } from '@unlearn/model-zoo';
import type { TorchRoundConfig, ZooTwin } from '@unlearn/bench-kit';
import { timeSteps, trainer } from '../../packages/core/bench/workloads.js';
import { settings, timedMs, type Workload } from './workload.js';

/**
 * Full-size models for the real run; tiny ones (the unit tests' sizes) for a smoke run. A
 * ResNet-18 JiT step is some 900 G multiply-adds and an importance pass over 1,000 samples
 * about 1.7 T, minutes on two cores, so zoo rows take up to three rounds per side within the
 * row budget (settings.rowBudgetS), which keeps the whole bench near a quarter of an hour.
 */
export const ZOO_CONFIG: TorchRoundConfig = settings.smoke
  ? {
      zoo: { resnet18: { width: 4, batch: 64 }, mobilenetv2: { width_mult: 0.25, batch: 16 } },
      importance_samples: 128,
      zoo_train_steps: 1,
    }
  : {
      zoo: { resnet18: { width: 64, batch: 64 }, mobilenetv2: { width_mult: 1, batch: 16 } },
      importance_samples: 1000,
      zoo_train_steps: 2,
    };

const ZOO_ROUNDS = 3;

interface ZooModel {
  twin: ZooTwin;
  label: string;
  tag: string;
  /**
   * Samples per training step, JiT forget batch and importance batch, the same on both sides.
   * MobileNetV2 runs at 16: at 64 its workloads fault the wasm heap even in a fresh process
   * (scripts/bench/results/zoo-mobilenet-2026-11-30.txt), as the scaling bench saw.
   */
  batch: number;
  build: () => LayersModel;
}

export const ZOO_MODELS: ZooModel[] = [
  {
    twin: 'resnet18',
    label: 'ResNet-18',
    tag: 'resnet',
    batch: ZOO_CONFIG.zoo.resnet18.batch,
    build: () => buildResNet18({ width: ZOO_CONFIG.zoo.resnet18.width }),
  },
  {
    twin: 'mobilenetv2',
    label: 'MobileNetV2',
    tag: 'mobilenet',
    batch: ZOO_CONFIG.zoo.mobilenetv2.batch,
    build: () => buildMobileNetV2({ widthMultiplier: ZOO_CONFIG.zoo.mobilenetv2.width_mult }),
  },
];

/** Samples per second of SGD steps (the model's batch, training mode: BatchNorm on batch statistics). */
function training(m: ZooModel): Workload {
  const steps = ZOO_CONFIG.zoo_train_steps;
  return {
    name: `${m.label} training, batch ${m.batch}, SGD, 1 thread`,
    tags: ['zoo', m.tag, 'train'],
    unit: 'samples/s',
    torchKey: `train_${m.twin}_samples_per_s`,
    rounds: ZOO_ROUNDS,
    async setup() {
      const model = m.build();
      const adapter = toModelAdapter(model);
      const t = trainer(model, [32, 32, 3], (x) => adapter.logits(x, { training: true }), m.batch);
      return {
        warmup: async () => void timeSteps(t, 1, 0, 0),
        round: async () => timeSteps(t, 0, steps, 0).samplesPerSecond,
        dispose: () => t.dispose(),
      };
    },
  };
}

/** One JiT step (one forget batch of the model's batch size, N = 25) through unlearn(), on both cores as PyTorch. */
function jitStep(m: ZooModel): Workload {
  return {
    name: `JiT step, ${m.label}, N=25, batch ${m.batch}, 2 threads`,
    tags: ['zoo', m.tag, 'jit'],
    unit: 'ms',
    torchKey: `jit_step_${m.twin}_ms`,
    rounds: ZOO_ROUNDS,
    async setup() {
      const model = m.build();
      const { x, y } = cifarLike({ n: m.batch, seed: 3 });
      // Each round from the same weights: repeated in-place steps at lr 1e-3 drive a freshly
      // initialised ResNet-18 to NaN by the third step (DIVERGED), on wasm as on webgpu.
      const step = (nSamples: number) =>
        timedMs(async () => {
          const result = await unlearn(model, { forget: { x } }, jit({ sigma: 0.1, lr: 1e-3, nSamples, batchSize: m.batch, threads: 2 }));
          toModelAdapter(result.model).dispose();
        });
      return {
        // Five draws start the workers and run every kernel; 25 would cost a round.
        warmup: async () => void (await step(5)),
        round: () => step(25),
        dispose: () => {
          tf.dispose([x, y]);
          model.dispose();
        },
      };
    },
  };
}

/** SSD's Fisher importance over ZOO_CONFIG.importance_samples (the model's batch) on two worker threads. */
function importance(m: ZooModel): Workload {
  const n = ZOO_CONFIG.importance_samples;
  return {
    name: `SSD importance, ${n.toLocaleString('en-US')} ${m.label} samples, batch ${m.batch}, 2 worker threads`,
    tags: ['zoo', m.tag, 'ssd'],
    unit: 'ms',
    torchKey: `ssd_importance_${m.twin}_ms`,
    rounds: ZOO_ROUNDS,
    async setup() {
      const model = m.build();
      const data = cifarLike({ n, seed: 5 });
      const head = { x: tf.slice(data.x, 0, 2 * m.batch), y: tf.slice(data.y, 0, 2 * m.batch) };
      const pass = (d: typeof data) =>
        timedMs(async () => tf.dispose(await fisherImportance(model, d, { batchSize: m.batch, threads: 2 })));
      return {
        // Two batches warm the kernels and workers up; a full pass would cost a round.
        warmup: async () => void (await pass(head)),
        round: () => pass(data),
        dispose: () => {
          tf.dispose([data.x, data.y, head.x, head.y]);
          model.dispose();
        },
      };
    },
  };
}

export function zooRows(): Workload[] {
  return ZOO_MODELS.flatMap((m) => [training(m), jitStep(m), importance(m)]);
}
