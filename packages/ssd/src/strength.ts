import type { StrengthKnob } from '@unlearn/core';
import { computeImportances, disposeImportances } from './importance-set.js';
import type { ImportanceKind } from './importance.js';
import type { SsdOptions } from './options.js';

/**
 * α is the dampening methods' strength: a smaller α selects more parameters. From 64, which
 * selected nothing on every model measured here, down to 1, where a parameter is selected as
 * soon as it matters more to the forget set than to the training set. Trials share the
 * training-set importances, computed once.
 */
export function alphaKnob(kind: ImportanceKind, o: SsdOptions, at: (alpha: number) => ReturnType<StrengthKnob<SsdOptions>['at']>): StrengthKnob<SsdOptions> {
  return {
    option: 'alpha',
    direction: 'decreasing',
    weakest: 64,
    strongest: 1,
    factor: 2,
    at,
    async prepare(model, request, signal) {
      if (request.importances !== undefined || !request.train) return { request, dispose() {} };
      const started = performance.now();
      const set = await computeImportances(model, request.train, { kind, batchSize: o.batchSize, workers: o.workers, signal });
      return {
        request: { ...request, importances: set },
        details: { trainImportances: { kind, samples: set.samples ?? null, timeMs: performance.now() - started } },
        dispose: () => disposeImportances(set),
      };
    },
  };
}
