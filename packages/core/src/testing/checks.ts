import * as tf from '@tensorflow/tfjs-core';
import { isUnlearnError } from '../errors.js';
import { toModelAdapter } from '../model/adapter.js';
import type { UnlearnableModel } from '../model/types.js';
import { unlearn } from '../run/unlearn.js';
import type { ForgetRequest, ProgressEvent, Unlearner } from '../contract/unlearner.js';
import { hashWeights } from '../weights/weights.js';
import { expect } from './expect.js';

export interface ConformanceFixture {
  model: UnlearnableModel;
  request: ForgetRequest;
  /** Frees the fixture's data tensors (the suite disposes models it created itself). */
  dispose?(): void;
}

export interface ConformanceOptions {
  /** Builds the method under test with fixed options. */
  create: () => Unlearner;
  /** A fresh model and request for each check. */
  fixture: () => ConformanceFixture | Promise<ConformanceFixture>;
  /** Whether the method must change at least one weight on the fixture (default true). */
  changesWeights?: boolean;
}

export interface ConformanceCheck {
  name: string;
  run(): Promise<void>;
}

function disposeModel(model: UnlearnableModel): void {
  toModelAdapter(model).dispose();
}

function shapes(model: UnlearnableModel): number[][] {
  return toModelAdapter(model).variables.map((v) => v.variable.shape.slice());
}

/**
 * The contract every unlearner must meet, as plain async checks that throw on failure, so
 * any runner can use them (vitest through `describeUnlearner`, or `runConformance`).
 */
export function conformanceChecks(options: ConformanceOptions): ConformanceCheck[] {
  const { create, fixture, changesWeights = true } = options;
  const checks: ConformanceCheck[] = [];
  const check = (name: string, run: () => Promise<void>) => checks.push({ name, run });

  const withFixture = async (body: (f: ConformanceFixture) => Promise<void>) => {
    const f = await fixture();
    try {
      await body(f);
    } finally {
      disposeModel(f.model);
      f.dispose?.();
    }
  };

  check('returns a new model with the same weight shapes and leaves the input untouched', async () => {
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

  check('changes the caller model itself when inPlace', async () => {
    await withFixture(async ({ model, request }) => {
      const before = await hashWeights(toModelAdapter(model));
      const result = await unlearn(model, request, create(), { seed: 1, inPlace: true });
      expect(result.model).toBe(model);
      if (changesWeights) expect(await hashWeights(toModelAdapter(model))).not.toBe(before);
    });
  });

  check('gives identical weights for the same seed', async () => {
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

  check('does not leak tensors', async () => {
    await withFixture(async ({ model, request }) => {
      // A first run lets tfjs create its lazily cached tensors and kernels.
      disposeModel((await unlearn(model, request, create(), { seed: 3 })).model);
      const before = tf.memory().numTensors;
      disposeModel((await unlearn(model, request, create(), { seed: 3 })).model);
      expect(tf.memory().numTensors).toBe(before);
    });
  });

  check('reports monotonic progress', async () => {
    await withFixture(async ({ model, request }) => {
      const events: ProgressEvent[] = [];
      const result = await unlearn(model, request, create(), { onProgress: (e) => events.push(e) });
      disposeModel(result.model);
      expect(events.length).toBeGreaterThan(0);
      for (let i = 1; i < events.length; i++) expect(events[i]!.step).toBeGreaterThanOrEqual(events[i - 1]!.step);
      for (const e of events) if (e.total !== undefined) expect(e.step).toBeLessThanOrEqual(e.total);
    });
  });

  check('refuses to start when already aborted', async () => {
    await withFixture(async ({ model, request }) => {
      const before = await hashWeights(toModelAdapter(model));
      const controller = new AbortController();
      controller.abort();
      const error = await unlearn(model, request, create(), { signal: controller.signal, inPlace: true }).catch((e: unknown) => e);
      expect(isUnlearnError(error, 'ABORTED')).toBe(true);
      expect(await hashWeights(toModelAdapter(model))).toBe(before);
    });
  });

  check('stops on abort during the run and restores an in-place model exactly', async () => {
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
  if (create().strength) {
    check('its declared strength changes the weights more as it grows (weakest, middle, strongest)', async () => {
      const knob = create().strength!;
      const middle = Math.sqrt(knob.weakest * knob.strongest);
      const values = [knob.weakest, knob.integer ? Math.round(middle) : middle, knob.strongest];
      const changes: number[] = [];
      for (const value of values) {
        await withFixture(async ({ model, request }) => {
          const outcome = await unlearn(model, request, knob.at(value), { seed: 1 }).catch((e: unknown) => e);
          // Too strong to run (NaN weights) is the far end of the scale, not a break in it.
          if (isUnlearnError(outcome, 'DIVERGED') || isUnlearnError(outcome, 'NON_FINITE')) {
            changes.push(Infinity);
            return;
          }
          if (outcome instanceof Error) throw outcome;
          const result = outcome as Awaited<ReturnType<typeof unlearn>>;
          const after = toModelAdapter(result.model);
          try {
            const moved = await weightChange(toModelAdapter(model), after);
            expect((result.options as Record<string, unknown>)[knob.option], `the ${knob.option} at() set`).toBe(value);
            changes.push(moved);
          } finally {
            after.dispose();
          }
        });
      }
      for (let i = 1; i < changes.length; i++) {
        expect(changes[i]!, `${knob.option} ${values[i]} changed the weights less than ${values[i - 1]} (${changes.join(', ')})`).toBeGreaterThanOrEqual(changes[i - 1]! * (1 - 1e-6));
      }
      expect(changes[2]!, `the strongest ${knob.option} changed nothing`).toBeGreaterThan(0);
    });
  }
  return checks;
}

/** ‖θ_after − θ_before‖₂ over the trainable variables. */
async function weightChange(before: ReturnType<typeof toModelAdapter>, after: ReturnType<typeof toModelAdapter>): Promise<number> {
  const sq = tf.tidy(() => tf.addN(before.trainable.map((v, i) => tf.sum(tf.square(tf.sub(after.trainable[i]!.variable, v.variable))))));
  const value = (await sq.data())[0]!;
  sq.dispose();
  return Math.sqrt(value);
}

export interface ConformanceOutcome {
  name: string;
  passed: boolean;
  error?: string;
}

/** Runs every check in order and reports each outcome (for environments without vitest). */
export async function runConformance(options: ConformanceOptions): Promise<ConformanceOutcome[]> {
  const outcomes: ConformanceOutcome[] = [];
  for (const c of conformanceChecks(options)) {
    try {
      await c.run();
      outcomes.push({ name: c.name, passed: true });
    } catch (error) {
      outcomes.push({ name: c.name, passed: false, error: error instanceof Error ? error.message : String(error) });
    }
  }
  return outcomes;
}
