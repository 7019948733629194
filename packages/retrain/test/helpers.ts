import type { LayersModel } from '@tensorflow/tfjs-layers';
import { hashWeights, toModelAdapter } from '@unlearn/core';

export const hash = (m: LayersModel) => hashWeights(toModelAdapter(m));

export { expectUnlearnError as expectCode } from '@unlearn/core/vitest';

export async function values(model: LayersModel): Promise<Float32Array[]> {
  return Promise.all(toModelAdapter(model).variables.map(async (v) => (await v.variable.data()) as Float32Array));
}
