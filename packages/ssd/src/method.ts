import type * as tf from '@tensorflow/tfjs-core';
import {
  datasetSize,
  defineUnlearner,
  UnlearnError,
  type Dataset,
  type OptionsSchema,
  type Unlearner,
  type UnlearnContext,
} from '@unlearn/core';
import { selectAndDampen } from './dampen.js';
import { accuracyOn, collapseMessage, forgottenClasses, guardData, judge, type GuardReport } from './guard.js';
import { autoAlpha } from './auto-alpha.js';
import type { DampeningThreads, SsdDetails } from './details.js';
import { importanceWithPlan, type ImportanceKind } from './importance.js';
import { checkImportanceSet } from './importance-set.js';
import { layerMask, variableNames } from './layer-filter.js';
import { dampeningOptions, type SsdOptions } from './options.js';
import { presetsFor } from './presets.js';
import { alphaKnob, sharedForgetImportances } from './strength.js';

/** What distinguishes one dampening method from another: its name and its importance. */
export interface DampeningMethodSpec {
  name: string;
  kind: ImportanceKind;
  /** Whether the importance needs labels (Fisher does, loss-free does not). */
  labels: boolean;
  /** Its options schema; by default SSD's options with the presets of its importance kind. */
  options?: OptionsSchema<SsdOptions>;
}

const batchesOf = (data: Dataset | undefined, batchSize: number): number | undefined => {
  const n = data ? datasetSize(data) : undefined;
  return n === undefined ? undefined : Math.ceil(n / batchSize);
};

/**
 * Builds an SSD-style unlearner: importances on the forget set and on the training set (or a
 * checked cache of the latter), then selection and dampening, then the optional guard.
 * `ssd` and `lfSsd` are this with their own importance.
 */
export function dampeningUnlearner(spec: DampeningMethodSpec, options: Partial<SsdOptions> = {}): Unlearner<SsdOptions, SsdDetails> {
  const schema = spec.options ?? dampeningOptions(spec.name, presetsFor(spec.kind));
  const resolved = schema.resolve(options);
  return defineUnlearner<SsdOptions, SsdDetails>({
    name: spec.name,
    options: resolved,
    needs: { labels: spec.labels, train: true, acceptsImportances: true },
    schema,
    strength: alphaKnob(spec.kind, resolved, (alpha) => dampeningUnlearner(spec, { ...resolved, alpha })),
    unlearn: (ctx) => run(spec, schema, resolved, ctx),
  });
}

async function run(spec: DampeningMethodSpec, schema: OptionsSchema<SsdOptions>, o: SsdOptions, ctx: UnlearnContext): Promise<{ details: SsdDetails }> {
  const { model, request, logger } = ctx;
  const method = spec.name;
  const warnings: string[] = [];
  const warn = (message: string) => {
    warnings.push(message);
    logger.warn(message);
  };

  // Every check that can fail runs before the first importance pass.
  const eligible = layerMask(method, variableNames(model), o.layers);
  const guardSet = o.guard ? await guardData(method, model, o.guard, request.validation) : undefined;
  const cached =
    request.importances !== undefined
      ? await checkImportanceSet(method, request.importances, model, { kind: spec.kind, batchSize: o.batchSize })
      : undefined;
  if (!cached && !request.train) {
    throw new UnlearnError('MISSING_DATA', `${method} needs the full training set (request.train) or request.importances`, { split: 'train', field: 'x' });
  }
  const forgetSize = datasetSize(request.forget);
  const trainSize = cached ? cached.samples : datasetSize(request.train!);
  if (o.alpha === 'auto' && (forgetSize === undefined || trainSize === undefined)) {
    throw new UnlearnError(
      'INVALID_OPTION',
      `${method}: alpha 'auto' needs the sizes of the forget and training sets; a stream of unknown length (or an importance cache without its sample count) was given`,
    );
  }
  if (forgetSize !== undefined && trainSize !== undefined && trainSize < forgetSize) {
    warn(
      `${method}: the training set (${trainSize} samples) is smaller than the forget set (${forgetSize}); ` +
        'the training set should contain the forget set, otherwise I_train under-weights it and more parameters are selected',
    );
  }

  const sharedForget = sharedForgetImportances(request);
  const forgetBatches = sharedForget ? 0 : batchesOf(request.forget, o.batchSize);
  const trainBatches = cached ? 0 : batchesOf(request.train, o.batchSize);
  const guardSteps = guardSet ? 2 : 0;
  const total =
    forgetBatches === undefined || trainBatches === undefined ? undefined : forgetBatches + trainBatches + 1 + guardSteps;
  let step = 0;
  const advance = (phase: string, metrics?: Record<string, number>) => {
    step++;
    ctx.progress({ phase, step, total, ...(metrics ? { metrics } : {}) });
    ctx.throwIfAborted();
  };

  let accuracyBefore = 0;
  // Measured on the kept classes only: a guard that counted the forgotten class would refuse the very forgetting asked for.
  const excluded = guardSet ? await forgottenClasses(request.forget) : [];
  if (guardSet) {
    accuracyBefore = await accuracyOn(model, guardSet, 256, excluded);
    advance('guard', { accuracy: accuracyBefore });
  }

  const pass = (data: Dataset, phase: string, split: 'forget' | 'train') =>
    importanceWithPlan(model, data, spec.kind, {
      split,
      batchSize: o.batchSize,
      threads: o.threads,
      signal: ctx.signal,
      // This run's steps count every phase, so each batch is one more of them.
      onProgress: () => advance(phase),
    });

  let impForget: tf.Tensor[] = [];
  let impTrain: tf.Tensor[] = [];
  let threads: DampeningThreads;
  try {
    if (sharedForget) {
      impForget = sharedForget;
      threads = { forget: 'shared by the auto-mode search' };
    } else {
      const f = await pass(request.forget, 'importance-forget', 'forget');
      impForget = f.tensors;
      threads = { forget: f.plan.threads, ...(f.plan.reason ? { forgetNote: f.plan.reason } : {}) };
    }
    if (cached) impTrain = cached.tensors;
    else {
      const t = await pass(request.train!, 'importance-train', 'train');
      impTrain = t.tensors;
      threads.train = t.plan.threads;
      if (t.plan.reason) threads.trainNote = t.plan.reason;
    }
    ctx.throwIfAborted();
    const auto = o.alpha === 'auto' ? await autoAlpha(method, impTrain, impForget, eligible, forgetSize!, trainSize!) : undefined;
    const alpha = auto ? auto.alpha : (o.alpha as number);
    const selection = await selectAndDampen(model, impTrain, impForget, { ...o, alpha }, method);
    advance('dampen', { selected: selection.selected });
    if (selection.selected === 0) {
      warn(`${method}: no parameter had I_forget > alpha * I_train (alpha ${alpha}); the model is unchanged`);
    }

    let guard: GuardReport | undefined;
    if (guardSet && o.guard) {
      guard = judge(o.guard, accuracyBefore, await accuracyOn(model, guardSet, 256, excluded), excluded);
      advance('guard', { accuracy: guard.accuracyAfter });
      if (guard.exceeded) {
        const message = collapseMessage(method, guard);
        if (o.guard.action === 'refuse') throw new UnlearnError('UTILITY_COLLAPSE', `${message}; the model was left unchanged`);
        warn(message);
      }
    }

    return {
      details: {
        importance: spec.kind,
        importanceSource: cached ? 'cache' : 'train',
        options: schema.toJson(o),
        alpha,
        ...(auto ? { autoAlpha: auto } : {}),
        selected: selection.selected,
        parameters: selection.size,
        fraction: selection.fraction,
        capped: selection.capped,
        perVariable: selection.variables,
        threads,
        ...(guard ? { guard } : {}),
        warnings,
      },
    };
  } finally {
    if (!sharedForget) impForget.forEach((t) => t.dispose());
    if (!cached) impTrain.forEach((t) => t.dispose());
  }
}
