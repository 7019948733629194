import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { isUnlearnError } from '../errors.js';
import { toModelAdapter } from '../model/adapter.js';
import type { UnlearnableModel } from '../model/types.js';
import { unlearn } from '../run/unlearn.js';
import type { ForgetRequest, ProgressEvent, Unlearner } from '../run/unlearner.js';
import { hashWeights } from '../tensor/weights.js';

export interface ConformanceFixture {
  model: UnlearnableModel;
  request: ForgetRequest;
  /** Frees the fixture's data tensors (the suite disposes models it created itself). */
  dispose?(): void;
}

export interface ConformanceOptions {
  /** Builds the method under test with fixed options. */
  create: () => Unlearner;
  /** A fresh model and request for each test. */
  fixture: () => ConformanceFixture | Promise<ConformanceFixture>;
  /** Whether the method must change at least one weight on the fixture (default true). */
  changesWeights?: boolean;
}

function disposeModel(model: UnlearnableModel): void {
  toModelAdapter(model).dispose();
}

function shapes(model: UnlearnableModel): number[][] {
  return toModelAdapter(model).variables.map((v) => v.variable.shape.slice());
}

/**
 * The contract every unlearner, first- or third-party, must meet. Call it inside a vitest
 * test file: `describeUnlearner('jit', { create, fixture })`.
 */
export function describeUnlearner(name: string, options: ConformanceOptions): void {
  const { create, fixture, changesWeights = true } = options;

  const withFixture = async (body: (f: ConformanceFixture) => Promise<void>) => {
    const f = await fixture();
    try {
      await body(f);
    } finally {
      disposeModel(f.model);
      f.dispose?.();
    }
  };

  describe(`${name} conformance`, () => {
    it('returns a new model with the same weight shapes and leaves the input untouched', async () => {
      await withFixture(async ({ model, request }) => {
        const before = await hashWeights(toModelAdapter(model));
        const result = await unlearn(model, request, create(), { seed: 1 });
        try {
          expect(result.model).not.toBe(model);
          expect(shapes(result.model)).toEqual(shapes(model));
          expect(await hashWeights(toModelAdapter(model))).toBe(before);
          const after = await hashWeights(toModelAdapter(result.model));
          if (changesWeights) expect(after).not.toBe(before);
          expect(result.timeMs).toBeGreaterThanOrEqual(0);
          expect(result.method).toBe(create().name);
        } finally {
          disposeModel(result.model);
        }
      });
    });

    it('changes the caller model itself when inPlace', async () => {
      await withFixture(async ({ model, request }) => {
        const before = await hashWeights(toModelAdapter(model));
        const result = await unlearn(model, request, create(), { seed: 1, inPlace: true });
        expect(result.model).toBe(model);
        if (changesWeights) expect(await hashWeights(toModelAdapter(model))).not.toBe(before);
      });
    });

    it('gives identical weights for the same seed', async () => {
      await withFixture(async ({ model, request }) => {
        const a = await unlearn(model, request, create(), { seed: 7 });
        const b = await unlearn(model, request, create(), { seed: 7 });
        try {
          expect(await hashWeights(toModelAdapter(a.model))).toBe(await hashWeights(toModelAdapter(b.model)));
        } finally {
          disposeModel(a.model);
          disposeModel(b.model);
        }
      });
    });

    it('does not leak tensors', async () => {
      await withFixture(async ({ model, request }) => {
        // A first run lets tfjs create its lazily cached tensors and kernels.
        disposeModel((await unlearn(model, request, create(), { seed: 3 })).model);
        const before = tf.memory().numTensors;
        disposeModel((await unlearn(model, request, create(), { seed: 3 })).model);
        expect(tf.memory().numTensors).toBe(before);
      });
    });

    it('reports monotonic progress', async () => {
      await withFixture(async ({ model, request }) => {
        const events: ProgressEvent[] = [];
        const result = await unlearn(model, request, create(), { onProgress: (e) => events.push(e) });
        disposeModel(result.model);
        expect(events.length).toBeGreaterThan(0);
        for (let i = 1; i < events.length; i++) expect(events[i]!.step).toBeGreaterThanOrEqual(events[i - 1]!.step);
        for (const e of events) if (e.total !== undefined) expect(e.step).toBeLessThanOrEqual(e.total);
      });
    });

    it('refuses to start when already aborted', async () => {
      await withFixture(async ({ model, request }) => {
        const before = await hashWeights(toModelAdapter(model));
        const controller = new AbortController();
        controller.abort();
        const error = await unlearn(model, request, create(), { signal: controller.signal, inPlace: true }).catch((e: unknown) => e);
        expect(isUnlearnError(error, 'ABORTED')).toBe(true);
        expect(await hashWeights(toModelAdapter(model))).toBe(before);
      });
    });

    it('stops on abort during the run and restores an in-place model exactly', async () => {
      await withFixture(async ({ model, request }) => {
        const before = await hashWeights(toModelAdapter(model));
        const controller = new AbortController();
        const leakBase = tf.memory().numTensors;
        const error = await unlearn(model, request, create(), {
          signal: controller.signal,
          inPlace: true,
          onProgress: () => controller.abort(),
        }).catch((e: unknown) => e);
        expect(isUnlearnError(error, 'ABORTED')).toBe(true);
        expect(await hashWeights(toModelAdapter(model))).toBe(before);
        expect(tf.memory().numTensors).toBe(leakBase);
      });
    });
  });
}
