import { fileURLToPath } from 'node:url';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import { loadModel } from '@unlearn/core/node';

/** Folder of the committed MNIST CNN trained by `npm run train -w @unlearn/mnist-fixture`. */
export const PRETRAINED_MNIST_CNN_DIR = fileURLToPath(new URL('../model/mnist-cnn', import.meta.url));

/** The committed, converged MNIST CNN (see model/TRAINING.md for how it was trained). */
export function loadPretrainedMnistCnn(): Promise<LayersModel> {
  return loadModel(PRETRAINED_MNIST_CNN_DIR);
}

/** Folder of the committed 5-class CNN on coarse digit pairs (`train --coarse`, see src/coarse.ts). */
export const PRETRAINED_MNIST_COARSE_CNN_DIR = fileURLToPath(new URL('../model/mnist-cnn-coarse', import.meta.url));

/** The committed coarse-pair CNN (see model/TRAINING-coarse.md for how it was trained). */
export function loadPretrainedMnistCoarseCnn(): Promise<LayersModel> {
  return loadModel(PRETRAINED_MNIST_COARSE_CNN_DIR);
}
