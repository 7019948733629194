/**
 * Retrain throughput on wasm for the MNIST CNN without one digit, and the recipe trainer's
 * per-epoch overhead against a plain model.fit loop of the same model and optimizer.
 * Run: npm run bench -w @unlearn/retrain
 * Env: REPEATS (timed epochs per contender, default 3), RETRAIN_EPOCHS (default 2), DIGIT (default 3),
 *      NO_TORCH=1 to skip the PyTorch side.
 */
import { cpus, loadavg } from 'node:os';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import { selectBackend, unlearn, type TensorDataset } from '@unlearn/core';
import { loadMnist, loadPretrainedMnistCnn, splitByDigit } from '@unlearn/mnist-fixture';
import { DEFAULT_RETRAIN_OPTIONS, finetune, retrain } from '../src/index.js';
import { torchReference } from './torch.js';
import { writeResults, type BenchReport, type Timing } from './results.js';

const REPEATS = Number(process.env.REPEATS ?? 3);
const RETRAIN_EPOCHS = Number(process.env.RETRAIN_EPOCHS ?? 2);
const DIGIT = Number(process.env.DIGIT ?? 3);

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function timed(body: () => Promise<void>): Promise<Timing> {
  const cpu = process.cpuUsage();
  const start = performance.now();
  await body();
  const wallMs = performance.now() - start;
  const used = process.cpuUsage(cpu);
  return { wallMs, cpuMs: (used.user + used.system) / 1000 };
}

async function architecture(pretrained: LayersModel): Promise<LayersModel> {
  const topology = pretrained.toJSON(null, false) as tf.io.ModelJSON['modelTopology'];
  const model = await tfl.models.modelFromJSON({ modelTopology: topology });
  model.setWeights(pretrained.getWeights());
  return model;
}

const backend = await selectBackend({ backend: 'wasm' });
const { train } = loadMnist();
const { forget, retain } = splitByDigit(train, DIGIT);
const pretrained = await loadPretrainedMnistCnn();
const request = { forget, retain };
const n = retain.x.shape[0];
const batchSize = DEFAULT_RETRAIN_OPTIONS.batchSize;

// model.fit: same architecture, Adam 1e-3, batch 64, shuffled, softmax output + sparse cross-entropy.
const fitModel = await architecture(pretrained);
fitModel.compile({ optimizer: tf.train.adam(1e-3), loss: 'sparseCategoricalCrossentropy' });
const yFloat = tf.cast(retain.y, 'float32');
const fitEpoch = () => timed(async () => void (await fitModel.fit(retain.x, yFloat, { batchSize, epochs: 1, shuffle: true, verbose: 0 })));

// The recipe trainer on its own (finetune = no re-initialisation), Adam 1e-3, batch 64, in place.
const recipeModel = await architecture(pretrained);
const adamRecipe = finetune({ optimizer: 'adam', learningRate: 1e-3, momentum: 0, weightDecay: 0, epochs: 1, batchSize });
// stepMs is the runner's timeMs: the training alone, without its one-time request validation.
async function recipeEpoch(data: TensorDataset = retain): Promise<Timing> {
  let stepMs = 0;
  const t = await timed(async () => {
    stepMs = (await unlearn(recipeModel, { forget, retain: data }, adamRecipe, { inPlace: true })).timeMs;
  });
  return { ...t, stepMs };
}

const warm = { x: tf.slice(retain.x, 0, 640), y: tf.slice(retain.y, 0, 640) };
await fitModel.fit(warm.x, tf.cast(warm.y, 'float32'), { batchSize, epochs: 1, verbose: 0 });
await recipeEpoch(warm);

const fit: Timing[] = [];
const recipe: Timing[] = [];
for (let i = 0; i < REPEATS; i++) {
  // Alternate the order so that a load spike from the shared machine hits both sides alike.
  if (i % 2 === 0) {
    fit.push(await fitEpoch());
    recipe.push(await recipeEpoch());
  } else {
    recipe.push(await recipeEpoch());
    fit.push(await fitEpoch());
  }
  console.error(`repeat ${i + 1}: model.fit ${fit.at(-1)!.wallMs.toFixed(0)} ms, recipe ${recipe.at(-1)!.stepMs!.toFixed(0)} ms per epoch`);
}

// SGD lr 0.01, no momentum: the step PyTorch's bench times, for a like-for-like ratio.
const sgdRecipe = finetune({ optimizer: 'sgd', learningRate: 0.01, momentum: 0, weightDecay: 0, epochs: 1, batchSize });
const sgd = await unlearn(recipeModel, request, sgdRecipe, { inPlace: true });

// The real retrain (reinit 'all', defaults) for a few epochs; the full default run is extrapolated.
const retrainRun = await unlearn(pretrained, request, retrain({ epochs: RETRAIN_EPOCHS }));
retrainRun.model.dispose();
const retrainPerEpochMs = retrainRun.timeMs / RETRAIN_EPOCHS;
console.error(`retrain: ${RETRAIN_EPOCHS} epochs in ${retrainRun.timeMs.toFixed(0)} ms`);

const torch = process.env.NO_TORCH === '1' ? { available: false as const, reason: 'NO_TORCH=1' } : await torchReference();

const fitMs = median(fit.map((t) => t.wallMs));
const recipeMs = median(recipe.map((t) => t.stepMs!));
const recipeCallMs = median(recipe.map((t) => t.wallMs));
const fitCpu = median(fit.map((t) => t.cpuMs));
const recipeCpu = median(recipe.map((t) => t.cpuMs));
const report: BenchReport = {
  date: new Date().toISOString(),
  environment: {
    backend: backend.name,
    tfjs: tf.version_core,
    node: process.version,
    cpu: cpus()[0]?.model ?? 'unknown',
    cores: cpus().length,
    loadAverage1m: Number(loadavg()[0]!.toFixed(2)),
  },
  setting: { digit: DIGIT, retainSamples: n, batchSize, repeats: REPEATS },
  overhead: {
    fitEpochs: fit,
    recipeEpochs: recipe,
    fitMedianMs: fitMs,
    recipeMedianMs: recipeMs,
    recipeCallMedianMs: recipeCallMs,
    overheadPct: (recipeMs / fitMs - 1) * 100,
    overheadWithValidationPct: (recipeCallMs / fitMs - 1) * 100,
    overheadCpuPct: (recipeCpu / fitCpu - 1) * 100,
  },
  retrain: {
    epochsTimed: RETRAIN_EPOCHS,
    timeMs: retrainRun.timeMs,
    perEpochMs: retrainPerEpochMs,
    samplesPerSecond: (n * RETRAIN_EPOCHS) / (retrainRun.timeMs / 1000),
    defaultEpochs: DEFAULT_RETRAIN_OPTIONS.epochs,
    extrapolatedDefaultMs: retrainPerEpochMs * DEFAULT_RETRAIN_OPTIONS.epochs,
  },
  sgdSamplesPerSecond: n / (sgd.timeMs / 1000),
  torch,
};
console.log(writeResults(report));
tf.dispose([yFloat, warm.x, warm.y]);
