import type * as tf from '@tensorflow/tfjs-core';
import type { ForgetRequest, StrengthKnob, Unlearner } from '@unlearn/core';
import type { SsdDetails } from './details.js';
import { computeImportances, disposeImportances, type ImportanceSet } from './importance-set.js';
import type { ImportanceKind } from './importance.js';
import type { SsdOptions } from './options.js';

/**
 * Forget-set importances of the original weights, for the requests a search prepared: every trial
 * starts from those weights, so every trial would compute the same tensors. Keyed by the request
 * object `prepare` made, which only the search holds.
 */
const forgetImportances = new WeakMap<ForgetRequest, tf.Tensor[]>();

/** The forget-set importances a search computed once for this request, if it is one of its own. */
export function sharedForgetImportances(request: ForgetRequest): tf.Tensor[] | undefined {
  return forgetImportances.get(request);
}

/**
 * α is the dampening methods' strength: a smaller α selects more parameters. From 64, which
 * selected nothing on every model measured here, down to 1, where a parameter is selected as
 * soon as it matters more to the forget set than to the training set. Both importances depend on
 * the original weights only, not on α, so a search computes them once for all its trials.
 */
export function alphaKnob(kind: ImportanceKind, o: SsdOptions, at: (alpha: number) => Unlearner<SsdOptions, SsdDetails>): StrengthKnob<SsdOptions, SsdDetails> {
  return {
    option: 'alpha',
    direction: 'decreasing',
    weakest: 64,
    strongest: 1,
    factor: 2,
    at,
    async prepare(model, request, signal) {
      const started = performance.now();
      const options = { kind, batchSize: o.batchSize, threads: o.threads, signal };
      let train: ImportanceSet | undefined;
      let forget: ImportanceSet | undefined;
      try {
        if (request.importances === undefined && request.train) train = await computeImportances(model, request.train, options);
        const trainMs = performance.now() - started;
        forget = await computeImportances(model, request.forget, options);
        const prepared: ForgetRequest = train ? { ...request, importances: train } : { ...request };
        forgetImportances.set(prepared, forget.tensors);
        const [t, f] = [train, forget];
        return {
          request: prepared,
          details: {
            importances: { kind, trainSamples: t?.samples ?? null, trainMs: t ? trainMs : 0, forgetMs: performance.now() - started - trainMs },
          },
          dispose() {
            forgetImportances.delete(prepared);
            disposeImportances(f);
            if (t) disposeImportances(t);
          },
        };
      } catch (error) {
        if (train) disposeImportances(train);
        if (forget) disposeImportances(forget);
        throw error;
      }
    },
  };
}
