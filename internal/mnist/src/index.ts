export { loadMnist, MNIST_CLASSES, MNIST_SHAPE } from './data.js';
export type { MnistOptions, MnistSplit } from './data.js';
export { buildMnistCnn, buildMnistMlp } from './model.js';
export { accuracyOf, fitClassifier } from './train.js';
export type { FitOptions } from './train.js';
export { splitByDigit } from './splits.js';
export { digitReport } from './digit-report.js';
export type { DigitReportOptions, DigitRun } from './digit-report.js';
export { MNIST_COARSE_CLASSES, MNIST_COARSE_OF, MNIST_COARSE_PAIRS, toCoarse } from './coarse.js';
export {
  loadPretrainedMnistCnn,
  loadPretrainedMnistCoarseCnn,
  PRETRAINED_MNIST_CNN_DIR,
  PRETRAINED_MNIST_COARSE_CNN_DIR,
} from './pretrained.js';
