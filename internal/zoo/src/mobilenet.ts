import * as tfl from '@tensorflow/tfjs-layers';
import type { LayersModel, SymbolicTensor } from '@tensorflow/tfjs-layers';
import { initWeights } from './init.js';
import { activation, batchNorm, CIFAR_SHAPE, classifierHead, conv, PLACEHOLDER, type ZooOptions } from './layers.js';

export interface MobileNetOptions extends ZooOptions {
  /** Scales every layer's channels, rounded to a multiple of 8 (default 1). */
  widthMultiplier?: number;
}

/** [expansion, output channels, blocks, stride of the first block] per stage (Sandler et al., table 2). */
const STAGES: readonly [number, number, number, number][] = [
  [1, 16, 1, 1],
  [6, 24, 2, 1], // stride 2 on ImageNet; 1 for 32x32 inputs, as in the usual CIFAR variant
  [6, 32, 3, 2],
  [6, 64, 4, 2],
  [6, 96, 3, 1],
  [6, 160, 3, 2],
  [6, 320, 1, 1],
];

/** torchvision's _make_divisible: nearest multiple of 8, never below 90% of the unrounded value. */
export function makeDivisible(value: number, divisor = 8): number {
  const rounded = Math.max(divisor, Math.floor(value / divisor + 0.5) * divisor);
  return rounded < 0.9 * value ? rounded + divisor : rounded;
}

/** Expand (1x1, ReLU6), depthwise 3x3 (ReLU6), project (1x1, linear); a skip where shapes allow. */
function invertedResidual(x: SymbolicTensor, expansion: number, filters: number, strides: number): SymbolicTensor {
  const inChannels = x.shape[x.shape.length - 1] as number;
  let y = x;
  if (expansion !== 1) y = activation(batchNorm(conv(y, inChannels * expansion, 1)), 'relu6');
  y = tfl.layers.depthwiseConv2d({ kernelSize: 3, strides, padding: 'same', useBias: false, depthwiseInitializer: PLACEHOLDER }).apply(y) as SymbolicTensor;
  y = activation(batchNorm(y), 'relu6');
  y = batchNorm(conv(y, filters, 1));
  return strides === 1 && inChannels === filters ? (tfl.layers.add().apply([x, y]) as SymbolicTensor) : y;
}

/**
 * MobileNetV2 for 32x32 inputs: a 3x3 stride-1 stem of 32 channels, the 17 inverted-residual
 * blocks of the paper (second stage at stride 1, so the 4x4 map before pooling matches
 * ResNet-18's), a 1x1 convolution to 1280 channels, global average pooling and a dense softmax
 * classifier. Every channel count, the final 1280 included, is scaled by widthMultiplier (the
 * paper keeps 1280 for multipliers below 1; scaling it keeps tiny test variants tiny). At
 * multiplier 1 and 10 classes it has 2,236,682 trainable parameters.
 */
export function buildMobileNetV2(options: MobileNetOptions = {}): LayersModel {
  const alpha = options.widthMultiplier ?? 1;
  const input = tfl.input({ shape: options.inputShape ?? CIFAR_SHAPE });
  let x = activation(batchNorm(conv(input, makeDivisible(32 * alpha), 3)), 'relu6');
  for (const [expansion, channels, blocks, strides] of STAGES) {
    for (let b = 0; b < blocks; b++) x = invertedResidual(x, expansion, makeDivisible(channels * alpha), b === 0 ? strides : 1);
  }
  x = activation(batchNorm(conv(x, makeDivisible(1280 * alpha), 1)), 'relu6');
  const model = tfl.model({ inputs: input, outputs: classifierHead(x, options.numClasses ?? 10), name: 'mobilenet_v2' });
  initWeights(model, options.seed ?? 1);
  return model;
}
