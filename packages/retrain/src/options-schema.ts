import { defineOptions, isNumberIn, option, type OptionFields, type OptionProblem } from '@unlearn/core';
import type { CheckpointStore } from './checkpoint.js';
import type { FinetuneOptions, LrSchedule, RetrainOptions, TrainOptions } from './options.js';
import { DEFAULT_FINETUNE_OPTIONS, DEFAULT_RETRAIN_OPTIONS } from './options.js';
import { FINETUNE_PRESETS, RETRAIN_PRESETS } from './presets.js';

const positive = { above: 0 } as const;

/** The schedule's own fields; `warmupEpochs` against `epochs` is checked in `refine`. */
function scheduleProblem(s: unknown): OptionProblem | undefined {
  if (typeof s !== 'object' || s === null) return { requirement: "an object such as { kind: 'constant' }", value: s };
  const schedule = s as LrSchedule;
  switch (schedule.kind) {
    case 'constant':
      return undefined;
    case 'multistep': {
      const ms = schedule.milestones;
      if (!Array.isArray(ms) || !ms.every((m) => isNumberIn(m, { integer: true, min: 1 })) || ms.some((m, i) => i > 0 && m <= ms[i - 1]!)) {
        return { path: 'milestones', requirement: 'strictly increasing epoch numbers >= 1', value: ms };
      }
      if (schedule.gamma !== undefined && !isNumberIn(schedule.gamma, positive)) {
        return { path: 'gamma', requirement: 'a finite number > 0', value: schedule.gamma };
      }
      return undefined;
    }
    case 'onecycle': {
      if (schedule.pctStart !== undefined && !isNumberIn(schedule.pctStart, { above: 0, below: 1 })) {
        return { path: 'pctStart', requirement: 'a number in (0, 1)', value: schedule.pctStart };
      }
      for (const key of ['divFactor', 'finalDivFactor'] as const) {
        const v = schedule[key];
        if (v !== undefined && !isNumberIn(v, positive)) return { path: key, requirement: 'a finite number > 0', value: v };
      }
      return undefined;
    }
    default:
      return { path: 'kind', requirement: "'constant', 'multistep' or 'onecycle'", value: (s as { kind?: unknown }).kind };
  }
}

const trainFields: OptionFields<TrainOptions> = {
  epochs: option.count(),
  batchSize: option.count(),
  optimizer: option.oneOf(['sgd', 'adam']),
  learningRate: option.number(positive),
  momentum: option.number({ min: 0, below: 1 }),
  weightDecay: option.number({ min: 0 }),
  schedule: option.custom<LrSchedule>({ requirement: "an object such as { kind: 'constant' }", check: scheduleProblem }),
  shuffle: option.boolean(),
  patience: option.count(),
  monitor: option.oneOf(['loss', 'accuracy']),
  restoreBest: option.boolean(),
  checkEvery: option.count(),
  checkpointDir: option.custom<string>({
    requirement: 'a non-empty folder path',
    check: (v) => typeof v === 'string' && v.length > 0,
    fromText: (t) => t,
    path: true,
  }),
  checkpointStore: option.custom<CheckpointStore>({
    requirement: 'an object with load() and save()',
    check: (v) =>
      typeof (v as CheckpointStore | null)?.load === 'function' && typeof (v as CheckpointStore | null)?.save === 'function'
        ? undefined
        : { requirement: 'an object with load() and save()', value: '[object]' },
    toJson: () => '(store)',
  }),
  resume: option.boolean(),
  threads: option.threads(),
  preset: option.oneOf([]), // replaced per method below, with its own preset names
};

/** Checks across options: the warm-up fits in the run, and resume has somewhere to resume from. */
function refineTraining(o: TrainOptions): (OptionProblem & { option: string }) | undefined {
  const w = o.schedule.kind === 'multistep' ? o.schedule.warmupEpochs : undefined;
  if (w !== undefined && !isNumberIn(w, { integer: true, min: 0, below: o.epochs })) {
    return { option: 'schedule', path: 'warmupEpochs', requirement: `an integer in [0, epochs) = [0, ${o.epochs})`, value: w };
  }
  if (o.resume && o.checkpointDir === undefined && o.checkpointStore === undefined) {
    return { option: 'resume', requirement: 'used together with checkpointDir or checkpointStore', value: o.resume };
  }
  return undefined;
}

export const RETRAIN_OPTIONS = defineOptions<RetrainOptions>({
  method: 'retrain',
  fields: {
    ...trainFields,
    preset: option.oneOf(Object.keys(RETRAIN_PRESETS)),
    reinit: option.oneOf(['all', 'head']),
    init: option.func('(model, seed, reinit) => void'),
  },
  defaults: DEFAULT_RETRAIN_OPTIONS,
  presets: RETRAIN_PRESETS,
  refine: refineTraining,
});

export const FINETUNE_OPTIONS = defineOptions<FinetuneOptions>({
  method: 'finetune',
  fields: { ...trainFields, preset: option.oneOf(Object.keys(FINETUNE_PRESETS)) },
  defaults: DEFAULT_FINETUNE_OPTIONS,
  presets: FINETUNE_PRESETS,
  refine: refineTraining,
});
