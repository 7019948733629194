import * as tfl from '@tensorflow/tfjs-layers';
import type { SymbolicTensor } from '@tensorflow/tfjs-layers';

/** What every zoo builder accepts besides its own width knob. */
export interface ZooOptions {
  /** Output classes (default 10). */
  numClasses?: number;
  /** [height, width, channels] (default [32, 32, 3], CIFAR). */
  inputShape?: [number, number, number];
  /** Seed of the initial weights (default 1). */
  seed?: number;
}

export const CIFAR_SHAPE: [number, number, number] = [32, 32, 3];

/** initWeights overwrites every weight; zeros spares tfjs drawing 11M random numbers first. */
export const PLACEHOLDER = 'zeros';

/**
 * PyTorch's BatchNorm2d defaults (eps 1e-5, running averages updated by 0.1 of the batch's),
 * so that the PyTorch twins in scripts/torch compute the same function.
 */
export function batchNorm(x: SymbolicTensor): SymbolicTensor {
  return tfl.layers.batchNormalization({ momentum: 0.9, epsilon: 1e-5 }).apply(x) as SymbolicTensor;
}

export function conv(x: SymbolicTensor, filters: number, kernelSize: number, strides = 1): SymbolicTensor {
  // No bias: every convolution here feeds a BatchNorm, whose shift makes a bias redundant.
  return tfl.layers.conv2d({ filters, kernelSize, strides, padding: 'same', useBias: false, kernelInitializer: PLACEHOLDER }).apply(x) as SymbolicTensor;
}

export function activation(x: SymbolicTensor, name: 'relu' | 'relu6' | 'gelu'): SymbolicTensor {
  return tfl.layers.activation({ activation: name }).apply(x) as SymbolicTensor;
}

/** Global average pooling and a softmax classifier, the head of every zoo model. */
export function classifierHead(x: SymbolicTensor, numClasses: number): SymbolicTensor {
  const pooled = tfl.layers.globalAveragePooling2d({}).apply(x) as SymbolicTensor;
  return tfl.layers.dense({ units: numClasses, activation: 'softmax', kernelInitializer: PLACEHOLDER }).apply(pooled) as SymbolicTensor;
}
