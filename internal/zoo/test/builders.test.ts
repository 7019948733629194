import { describe, it, expect } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import { buildMlpMixer, buildMobileNetV2, buildResNet18, makeDivisible, parameterCounts } from '../src/index.js';

/** Builds, runs `check`, disposes, and asserts that no tensor outlived the model. */
function withModel(build: () => LayersModel, check: (m: LayersModel) => void): void {
  const before = tf.memory().numTensors;
  const model = build();
  try {
    check(model);
  } finally {
    model.dispose();
  }
  expect(tf.memory().numTensors).toBe(before);
}

const weightsOf = (m: LayersModel) => m.getWeights().map((w) => w.dataSync().slice());

describe('full-size parameter counts (the PyTorch twins in scripts/torch have the same)', () => {
  it('ResNet-18: 11,173,962 trainable, 9,600 BatchNorm statistics', () => {
    withModel(buildResNet18, (m) => expect(parameterCounts(m)).toEqual({ trainable: 11_173_962, nonTrainable: 9_600 }));
  });

  it('MobileNetV2: 2,236,682 trainable, 34,112 BatchNorm statistics', () => {
    withModel(buildMobileNetV2, (m) => expect(parameterCounts(m)).toEqual({ trainable: 2_236_682, nonTrainable: 34_112 }));
  });

  it('MLP-Mixer: 569,994 trainable', () => {
    withModel(buildMlpMixer, (m) => expect(parameterCounts(m)).toEqual({ trainable: 569_994, nonTrainable: 0 }));
  });
});

describe('tiny variants', () => {
  const tiny: [string, (numClasses: number, seed?: number) => LayersModel][] = [
    ['ResNet-18', (numClasses, seed) => buildResNet18({ numClasses, width: 4, inputShape: [16, 16, 3], seed })],
    ['MobileNetV2', (numClasses, seed) => buildMobileNetV2({ numClasses, widthMultiplier: 0.25, inputShape: [16, 16, 3], seed })],
    ['MLP-Mixer', (numClasses, seed) => buildMlpMixer({ numClasses, hiddenDim: 16, tokensMlpDim: 8, channelsMlpDim: 32, depth: 2, inputShape: [16, 16, 3], seed })],
  ];

  for (const [name, build] of tiny) {
    it(`${name}: one probability distribution per row, over numClasses`, () => {
      withModel(
        () => build(7),
        (m) => {
          const p = tf.tidy(() => m.predict(tf.randomUniform([3, 16, 16, 3], 0, 1, 'float32', 1)) as tf.Tensor);
          expect(p.shape).toEqual([3, 7]);
          const sums = tf.tidy(() => tf.sum(p, 1));
          for (const s of sums.dataSync()) expect(s).toBeCloseTo(1, 5);
          tf.dispose([p, sums]);
        },
      );
    });

    it(`${name}: the seed fixes every weight`, () => {
      let first: Float32Array[] = [];
      withModel(() => build(10, 5), (m) => (first = weightsOf(m) as Float32Array[]));
      withModel(() => build(10, 5), (m) => expect(weightsOf(m)).toEqual(first));
      withModel(() => build(10, 6), (m) => expect(weightsOf(m)).not.toEqual(first));
    });
  }

  it('normalisation layers start as the identity (gamma and variances 1, shifts and means 0)', () => {
    withModel(
      () => buildMobileNetV2({ widthMultiplier: 0.25, inputShape: [8, 8, 3] }),
      (m) => {
        const byRole = new Map<string, number[]>();
        for (const w of m.weights) {
          const role = w.originalName.split('/').pop()!;
          byRole.set(role, [...(byRole.get(role) ?? []), ...w.read().dataSync()]);
        }
        expect(new Set(byRole.get('gamma'))).toEqual(new Set([1]));
        expect(new Set(byRole.get('moving_variance'))).toEqual(new Set([1]));
        expect(new Set(byRole.get('beta'))).toEqual(new Set([0]));
        expect(new Set(byRole.get('moving_mean'))).toEqual(new Set([0]));
        // He-uniform kernels: never all zero, within the fan-in limit of the 3x3x3 stem.
        const stem = m.weights.find((w) => w.originalName.endsWith('/kernel'))!.read().dataSync();
        expect(Math.max(...stem.map(Math.abs))).toBeGreaterThan(0);
        expect(Math.max(...stem.map(Math.abs))).toBeLessThanOrEqual(Math.sqrt(6 / 27));
      },
    );
  });

  it('width knobs scale the channels', () => {
    withModel(() => buildResNet18({ width: 8, inputShape: [8, 8, 3] }), (m) => {
      const convs = m.layers.filter((l) => l.getClassName() === 'Conv2D').map((l) => l.getConfig().filters);
      expect(new Set(convs)).toEqual(new Set([8, 16, 32, 64]));
    });
    expect([makeDivisible(32 * 0.25), makeDivisible(1280 * 0.25), makeDivisible(24 * 0.5), makeDivisible(11)]).toEqual([8, 320, 16, 16]);
  });

  it('MLP-Mixer refuses a patch size that does not divide the image', () => {
    const before = tf.memory().numTensors;
    expect(() => buildMlpMixer({ patchSize: 5 })).toThrow(/patchSize 5/);
    expect(tf.memory().numTensors).toBe(before);
  });
});
