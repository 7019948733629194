import type * as tf from '@tensorflow/tfjs-core';
import { defineOptions, option } from '@unlearn/core';
import { DEFAULT_PRESET, JIT_PRESETS, type JitPresetName } from './presets.js';

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
  /**
   * Std of the Gaussian input noise, in the model's input units. 'auto': `AUTO_SIGMA_PER_STD`
   * times the standard deviation of the forget inputs, for inputs not scaled to [0, 1].
   */
  sigma: number | 'auto';
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
   * one plus `threads - 1` worker threads holding a replica of the model. Unset: every core (at
   * most 4) when the run has at least `AUTO_PARALLEL_ROWS` noisy rows, else 1. Training mode
   * always uses 1 (each draw must stay in one forward for batch statistics).
   */
  threads?: number;
  /** The preset the unset values came from. */
  preset: JitPresetName;
  /** For tests: supplies ε instead of the seeded generator (see `JitNoise`). */
  noise?: JitNoise;
}

/**
 * Input values per noisy forward when `chunkSize` is 'auto'. On wasm, forwards of 512-640
 * MNIST rows were as fast as or faster than one draw (64 rows) or all 25 draws (1,600 rows)
 * per forward (results/bench.md): big chunks stop fitting the cache.
 */
export const AUTO_CHUNK_VALUES = 2 ** 19;

/** Noisy rows (forget samples x N x epochs) from which an unset `threads` goes parallel: about 10 steps of 64 x 25, which repay the ~0.5 s a fresh worker takes to load tfjs. */
export const AUTO_PARALLEL_ROWS = 16_000;

/** Noisy samples per forward for inputs of `valuesPerSample` numbers each. */
export function chunkRows(chunkSize: number | 'auto', valuesPerSample: number): number {
  return chunkSize === 'auto' ? Math.max(1, Math.floor(AUTO_CHUNK_VALUES / valuesPerSample)) : chunkSize;
}

const { source: _source, ...presetDefaults } = JIT_PRESETS[DEFAULT_PRESET];

/** JiT's options: defaults are the default preset's values, a named preset fills the unset ones. */
export const JIT_OPTIONS = defineOptions<JitOptions>({
  method: 'jit',
  fields: {
    sigma: option.orAuto(option.number({ above: 0 })),
    lr: option.number({ above: 0 }),
    nSamples: option.count(),
    batchSize: option.count(),
    epochs: option.count(),
    accumulateGradients: option.boolean(),
    training: option.boolean(),
    chunkSize: option.orAuto(option.count()),
    threads: option.threads(),
    preset: option.oneOf(Object.keys(JIT_PRESETS) as JitPresetName[]),
    noise: option.func('(batchIndex, draw, shape) => tensor'),
  },
  defaults: { ...presetDefaults, epochs: 1, accumulateGradients: false, training: false, chunkSize: 'auto', preset: DEFAULT_PRESET },
  presets: JIT_PRESETS,
});
