export { loadMnist, MNIST_CLASSES, MNIST_SHAPE } from './data.js';
export type { MnistOptions, MnistSplit } from './data.js';
export { buildMnistCnn, buildMnistMlp } from './model.js';
export { accuracyOf, fitClassifier } from './train.js';
export type { FitOptions } from './train.js';
export { splitByDigit } from './splits.js';
export { loadPretrainedMnistCnn, PRETRAINED_MNIST_CNN_DIR } from './pretrained.js';
