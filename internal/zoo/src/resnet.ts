import * as tfl from '@tensorflow/tfjs-layers';
import type { LayersModel, SymbolicTensor } from '@tensorflow/tfjs-layers';
import { initWeights } from './init.js';
import { activation, batchNorm, CIFAR_SHAPE, classifierHead, conv, type ZooOptions } from './layers.js';

export interface ResNetOptions extends ZooOptions {
  /** Channels of the first stage; the four stages have width, 2x, 4x, 8x (default 64). */
  width?: number;
}

/** Two 3x3 convolutions with a skip connection, projected by a 1x1 convolution where the shape changes. */
function basicBlock(x: SymbolicTensor, filters: number, strides: number): SymbolicTensor {
  let y = activation(batchNorm(conv(x, filters, 3, strides)), 'relu');
  y = batchNorm(conv(y, filters, 3));
  const inChannels = x.shape[x.shape.length - 1];
  const shortcut = strides !== 1 || inChannels !== filters ? batchNorm(conv(x, filters, 1, strides)) : x;
  return activation(tfl.layers.add().apply([y, shortcut]) as SymbolicTensor, 'relu');
}

/**
 * ResNet-18 for 32x32 inputs (He et al.'s ImageNet net with the CIFAR stem: one 3x3 stride-1
 * convolution, no max-pooling): 4 stages of 2 basic blocks, strides 1, 2, 2, 2, global average
 * pooling, a dense softmax classifier. At width 64 and 10 classes it has 11,173,962 trainable
 * parameters (plus 9,600 BatchNorm running statistics), as the usual PyTorch CIFAR ResNet-18.
 */
export function buildResNet18(options: ResNetOptions = {}): LayersModel {
  const width = options.width ?? 64;
  const input = tfl.input({ shape: options.inputShape ?? CIFAR_SHAPE });
  let x = activation(batchNorm(conv(input, width, 3)), 'relu');
  for (const [stage, strides] of [1, 2, 2, 2].entries()) {
    x = basicBlock(x, width * 2 ** stage, strides);
    x = basicBlock(x, width * 2 ** stage, 1);
  }
  const model = tfl.model({ inputs: input, outputs: classifierHead(x, options.numClasses ?? 10), name: 'resnet18' });
  initWeights(model, options.seed ?? 1);
  return model;
}
