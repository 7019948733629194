import { fileURLToPath } from 'node:url';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import { loadModel } from '@unlearn/core/node';

/** Folder of the committed MNIST CNN trained by `npm run train -w @unlearn/mnist-fixture`. */
export const PRETRAINED_MNIST_CNN_DIR = fileURLToPath(new URL('../model/mnist-cnn', import.meta.url));

/** The committed, converged MNIST CNN (see model/TRAINING.md for how it was trained). */
export function loadPretrainedMnistCnn(): Promise<LayersModel> {
  return loadModel(PRETRAINED_MNIST_CNN_DIR);
}
