import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import { toModelAdapter } from '@unlearn/core';
import { seedWeights, tinyCnn } from '@unlearn/core/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { reinitialize } from '../src/index.js';
import { values } from './helpers.js';

const models: LayersModel[] = [];
const track = (m: LayersModel) => (models.push(m), m);
afterEach(() => models.splice(0).forEach((m) => m.dispose()));

const changed = (a: Float32Array, b: Float32Array) => a.some((v, i) => v !== b[i]);
const same = (a: Float32Array, b: Float32Array) => a.length === b.length && a.every((v, i) => Object.is(v, b[i]));

function stats(a: Float32Array) {
  const mean = a.reduce((s, v) => s + v, 0) / a.length;
  const sd = Math.sqrt(a.reduce((s, v) => s + (v - mean) ** 2, 0) / a.length);
  return { mean, sd, maxAbs: a.reduce((m, v) => Math.max(m, Math.abs(v)), 0) };
}

describe('reinitialize', () => {
  it("'all' re-draws every variable of every layer", async () => {
    const model = track(tinyCnn({ seed: 3 }));
    const before = await values(model);
    const names = await reinitialize(model, { reinit: 'all', seed: 5 });
    const after = await values(model);
    expect(names).toEqual(toModelAdapter(model).variables.map((v) => v.name));
    before.forEach((b, i) => expect(changed(b, after[i]!), names[i]).toBe(true));
  });

  it("'head' re-draws only the last layer with weights and leaves the rest byte-identical", async () => {
    const model = track(tinyCnn({ seed: 3 }));
    const before = await values(model);
    const names = await reinitialize(model, { reinit: 'head', seed: 5 });
    const after = await values(model);
    const all = toModelAdapter(model).variables.map((v) => v.name);
    expect(names).toEqual(all.slice(-2));
    expect(names.every((n) => n.startsWith(model.layers[model.layers.length - 1]!.name))).toBe(true);
    before.slice(0, -2).forEach((b, i) => expect(same(b, after[i]!), all[i]).toBe(true));
    before.slice(-2).forEach((b, i) => expect(changed(b, after[i + before.length - 2]!)).toBe(true));
  });

  it('is deterministic: same seed, same weights; another seed, other weights; head = the same draw as all', async () => {
    const [a, b, c, d] = [1, 1, 1, 1].map(() => track(tinyCnn({ seed: 9 })));
    await reinitialize(a!, { reinit: 'all', seed: 42 });
    await reinitialize(b!, { reinit: 'all', seed: 42 });
    await reinitialize(c!, { reinit: 'all', seed: 43 });
    await reinitialize(d!, { reinit: 'head', seed: 42 });
    const [va, vb, vc, vd] = await Promise.all([a!, b!, c!, d!].map(values));
    va!.forEach((x, i) => expect(same(x, vb![i]!)).toBe(true));
    expect(changed(va![0]!, vc![0]!)).toBe(true);
    expect(same(va![va!.length - 2]!, vd![vd!.length - 2]!)).toBe(true);
  });

  it("draws from each layer's initializer: Glorot/He limits and spreads, zeros, ones, orthogonal, batch-norm statistics", async () => {
    const model = track(
      tfl.sequential({
        layers: [
          tfl.layers.dense({ inputShape: [300], units: 200, kernelInitializer: 'glorotUniform', biasInitializer: 'ones' }),
          tfl.layers.batchNormalization(),
          tfl.layers.dense({ units: 50, kernelInitializer: 'heNormal' }),
          tfl.layers.dense({ units: 40, kernelInitializer: tfl.initializers.orthogonal({ gain: 2 }) }),
        ],
      }),
    );
    seedWeights(model, 1);
    // Trained-looking batch-norm statistics, which a retrain must reset.
    const bn = model.layers[1]!.weights;
    bn.forEach((w) => (w.read() as tf.Variable).assign(tf.fill(w.shape as number[], 3)));
    await reinitialize(model, { reinit: 'all', seed: 11 });
    const [k1, b1, gamma, beta, k2, b2, k3, b3, mean, variance] = await values(model);
    const glorot = Math.sqrt(6 / (300 + 200));
    expect(stats(k1!).maxAbs).toBeLessThanOrEqual(glorot);
    expect(stats(k1!).sd).toBeCloseTo(glorot / Math.sqrt(3), 2);
    expect([...b1!].every((v) => v === 1)).toBe(true);
    expect([...gamma!].every((v) => v === 1) && [...beta!].every((v) => v === 0)).toBe(true);
    expect([...mean!].every((v) => v === 0) && [...variance!].every((v) => v === 1)).toBe(true);
    // He-normal is truncated at 2 sd: spread sqrt(2 / fanIn) · 0.88, nothing beyond 2 sd.
    const he = Math.sqrt(2 / 200);
    expect(stats(k2!).sd / he).toBeGreaterThan(0.85);
    expect(stats(k2!).sd / he).toBeLessThan(0.91);
    expect(stats(k2!).maxAbs).toBeLessThanOrEqual(2 * he + 1e-6);
    expect([...b2!, ...b3!].every((v) => v === 0)).toBe(true);
    // Orthogonal [50, 40] with gain 2: WᵀW = 4·I.
    const w = tf.tensor2d(k3!, [50, 40]);
    const gram = tf.matMul(w, w, true, false);
    const diff = tf.sub(gram, tf.mul(tf.eye(40), 4));
    expect(tf.max(tf.abs(diff)).dataSync()[0]).toBeLessThan(1e-4);
    tf.dispose([w, gram, diff]);
  });

  it('falls back to Glorot-uniform, with a warning, for an initializer it does not know', async () => {
    // tfjs-layers does not export its Initializer base class; Zeros extends it.
    const Initializer = Object.getPrototypeOf(tfl.initializers.zeros().constructor) as new () => object;
    class Halves extends Initializer {
      static className = 'Halves';
      apply(shape: number[]) {
        return tf.fill(shape, 0.5);
      }
      getConfig() {
        return {};
      }
    }
    tf.serialization.registerClass(Halves as unknown as tf.serialization.SerializableConstructor<tf.serialization.Serializable>);
    const model = track(tfl.sequential({ layers: [tfl.layers.dense({ inputShape: [20], units: 30, kernelInitializer: new Halves() as never })] }));
    const warnings: string[] = [];
    await reinitialize(model, { reinit: 'all', seed: 1, warn: (m) => warnings.push(m) });
    const [kernel] = await values(model);
    expect(warnings.join()).toMatch(/Halves.*Glorot-uniform/);
    expect(stats(kernel!).maxAbs).toBeLessThanOrEqual(Math.sqrt(6 / 50));
    expect(stats(kernel!).sd).toBeGreaterThan(0.1);
  });

  it('uses a custom init instead of the built-in one', async () => {
    const model = track(tinyCnn());
    const calls: [number, string][] = [];
    await reinitialize(model, {
      reinit: 'head',
      seed: 77,
      init: (m, seed, reinit) => {
        calls.push([seed, reinit]);
        (m as LayersModel).setWeights((m as LayersModel).getWeights().map((w) => tf.zerosLike(w)));
      },
    });
    expect(calls).toEqual([[77, 'head']]);
    expect((await values(model)).every((v) => v.every((x) => x === 0))).toBe(true);
  });
});
