import type * as tf from '@tensorflow/tfjs-core';
import { invalidOption } from '@unlearn/core';
import { DEFAULT_PRESET, isJitPreset, JIT_PRESETS, type JitPresetName } from './presets.js';

/**
 * Supplies the standard normal noise ε of one draw, instead of the run's seeded generator.
 * Meant for tests (feeding a reference implementation's noise); it must return a float32
 * tensor of exactly `shape` = [batch rows, ...input shape], and the same values whenever it is
 * called with the same arguments (a draw may be requested again when it is split into chunks).
 * `batchIndex` counts batches from 0 across epochs. Tensors created inside the call are freed
 * after use; a tensor that existed before the call is left alone.
 */
export type JitNoise = (batchIndex: number, draw: number, shape: number[]) => tf.Tensor;

export interface JitOptions {
  /** Std of the Gaussian input noise, in the model's input units. */
  sigma: number;
  /** Plain SGD learning rate η; it multiplies a loss summed over the batch. */
  lr: number;
  /** Noise draws N per forget batch. */
  nSamples: number;
  /** Forget samples per SGD step. */
  batchSize: number;
  /** Passes over the forget set (the reference makes one). */
  epochs: number;
  /**
   * Never zero the gradient, so step t uses g_1 + … + g_t, as the reference code does.
   * false (default) is the paper's Algorithm 1: each step uses its own batch's gradient.
   */
  accumulateGradients: boolean;
  /** Run the model in training mode (dropout active), as the reference does with VGG. */
  training: boolean;
  /**
   * Most noisy samples evaluated in one forward pass, which bounds peak memory on large
   * inputs. 'auto' (default) fits as many as hold 2^19 input values (2 MB of float32):
   * 668 MNIST digits, 170 CIFAR images, 3 images of 224x224x3.
   */
  chunkSize: number | 'auto';
  /**
   * Threads for the noisy forward passes (Node, LayersModel, wasm or cpu backend): the calling
   * one plus `workers - 1` worker threads holding a replica of the model. Unset: every core (at
   * most 4) when the run has at least `AUTO_PARALLEL_ROWS` noisy rows, else 1. Training mode
   * always uses 1 (each draw must stay in one forward for batch statistics).
   */
  workers?: number;
  /** The preset the unset values came from. */
  preset: JitPresetName;
  /** For tests: supplies ε instead of the seeded generator (see `JitNoise`). */
  noise?: JitNoise;
}

/**
 * Input values per noisy forward when `chunkSize` is 'auto'. On wasm, forwards of 512-640
 * MNIST rows were as fast as or faster than one draw (64 rows) or all 25 draws (1,600 rows)
 * per forward (bench/results/latest.md): big chunks stop fitting the cache.
 */
export const AUTO_CHUNK_VALUES = 2 ** 19;

/** Noisy rows (forget samples x N x epochs) from which an unset `workers` goes parallel: about 10 steps of 64 x 25, which repay the ~0.5 s a fresh worker takes to load tfjs. */
export const AUTO_PARALLEL_ROWS = 16_000;

/** Noisy samples per forward for inputs of `valuesPerSample` numbers each. */
export function chunkRows(chunkSize: number | 'auto', valuesPerSample: number): number {
  return chunkSize === 'auto' ? Math.max(1, Math.floor(AUTO_CHUNK_VALUES / valuesPerSample)) : chunkSize;
}

export function resolveOptions(options: Partial<JitOptions> = {}): JitOptions {
  const presetName = options.preset ?? DEFAULT_PRESET;
  // An unknown name is reported by validateOptions, which the runner calls before any work.
  const preset = JIT_PRESETS[isJitPreset(presetName) ? presetName : DEFAULT_PRESET];
  const given = Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined)) as Partial<JitOptions>;
  return {
    sigma: preset.sigma,
    lr: preset.lr,
    nSamples: preset.nSamples,
    batchSize: preset.batchSize,
    epochs: 1,
    accumulateGradients: false,
    training: false,
    chunkSize: 'auto',
    ...given,
    preset: presetName,
  };
}

const positive = (v: unknown): boolean => typeof v === 'number' && Number.isFinite(v) && v > 0;
const count = (v: unknown): boolean => typeof v === 'number' && Number.isInteger(v) && v >= 1;

export function validateOptions(o: JitOptions): void {
  if (!isJitPreset(o.preset)) throw invalidOption('jit', 'preset', `one of ${Object.keys(JIT_PRESETS).join(', ')}`, o.preset);
  if (!positive(o.sigma)) throw invalidOption('jit', 'sigma', 'a finite number > 0', o.sigma);
  if (!positive(o.lr)) throw invalidOption('jit', 'lr', 'a finite number > 0', o.lr);
  if (!count(o.nSamples)) throw invalidOption('jit', 'nSamples', 'an integer >= 1', o.nSamples);
  if (!count(o.batchSize)) throw invalidOption('jit', 'batchSize', 'an integer >= 1', o.batchSize);
  if (!count(o.epochs)) throw invalidOption('jit', 'epochs', 'an integer >= 1', o.epochs);
  if (o.chunkSize !== 'auto' && !count(o.chunkSize)) throw invalidOption('jit', 'chunkSize', "'auto' or an integer >= 1", o.chunkSize);
  if (typeof o.accumulateGradients !== 'boolean') {
    throw invalidOption('jit', 'accumulateGradients', 'true or false', o.accumulateGradients);
  }
  if (typeof o.training !== 'boolean') throw invalidOption('jit', 'training', 'true or false', o.training);
  if (o.workers !== undefined && !count(o.workers)) throw invalidOption('jit', 'workers', 'an integer >= 1', o.workers);
  if (o.noise !== undefined && typeof o.noise !== 'function') {
    throw invalidOption('jit', 'noise', 'a function (batchIndex, draw, shape) => tensor', typeof o.noise);
  }
}
