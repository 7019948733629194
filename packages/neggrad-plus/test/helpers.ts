import type { LayersModel } from '@tensorflow/tfjs-layers';
import { hashWeights, toModelAdapter } from '@unlearn/core';

export const hash = (m: LayersModel) => hashWeights(toModelAdapter(m));

export { expectUnlearnError as expectCode } from '@unlearn/core/vitest';

export { fittedTinyClassifier as trainedClassifier } from '@unlearn/core/testing';
