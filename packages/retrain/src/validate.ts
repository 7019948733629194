import { invalidOption } from '@unlearn/core';
import type { LrSchedule, RetrainOptions, TrainOptions } from './options.js';

const isPositiveInt = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v >= 1;
const isFiniteNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

/** Checks a training recipe; throws INVALID_OPTION naming the first bad option. */
export function validateTrainOptions(method: string, o: TrainOptions): void {
  if (!isPositiveInt(o.epochs)) throw invalidOption(method, 'epochs', 'an integer >= 1', o.epochs);
  if (!isPositiveInt(o.batchSize)) throw invalidOption(method, 'batchSize', 'an integer >= 1', o.batchSize);
  if (o.optimizer !== 'sgd' && o.optimizer !== 'adam') throw invalidOption(method, 'optimizer', "'sgd' or 'adam'", o.optimizer);
  if (!isFiniteNumber(o.learningRate) || o.learningRate <= 0) {
    throw invalidOption(method, 'learningRate', 'a finite number > 0', o.learningRate);
  }
  if (!isFiniteNumber(o.momentum) || o.momentum < 0 || o.momentum >= 1) {
    throw invalidOption(method, 'momentum', 'a number in [0, 1)', o.momentum);
  }
  if (!isFiniteNumber(o.weightDecay) || o.weightDecay < 0) throw invalidOption(method, 'weightDecay', 'a finite number >= 0', o.weightDecay);
  validateSchedule(method, o.schedule, o.epochs);
  if (typeof o.shuffle !== 'boolean') throw invalidOption(method, 'shuffle', 'a boolean', o.shuffle);
  if (o.patience !== undefined && !isPositiveInt(o.patience)) throw invalidOption(method, 'patience', 'an integer >= 1', o.patience);
  if (o.monitor !== 'loss' && o.monitor !== 'accuracy') throw invalidOption(method, 'monitor', "'loss' or 'accuracy'", o.monitor);
  if (typeof o.restoreBest !== 'boolean') throw invalidOption(method, 'restoreBest', 'a boolean', o.restoreBest);
  if (!isPositiveInt(o.checkEvery)) throw invalidOption(method, 'checkEvery', 'an integer >= 1', o.checkEvery);
  if (o.checkpointDir !== undefined && (typeof o.checkpointDir !== 'string' || o.checkpointDir.length === 0)) {
    throw invalidOption(method, 'checkpointDir', 'a non-empty folder path', o.checkpointDir);
  }
  const store = o.checkpointStore;
  if (store !== undefined && (typeof store?.load !== 'function' || typeof store?.save !== 'function')) {
    throw invalidOption(method, 'checkpointStore', 'an object with load() and save()', '[object]');
  }
  if (o.workers !== undefined && !isPositiveInt(o.workers)) throw invalidOption(method, 'workers', 'an integer >= 1', o.workers);
  if (typeof o.resume !== 'boolean') throw invalidOption(method, 'resume', 'a boolean', o.resume);
  if (o.resume && o.checkpointDir === undefined && store === undefined) {
    throw invalidOption(method, 'resume', 'used together with checkpointDir or checkpointStore', o.resume);
  }
}

function validateSchedule(method: string, s: LrSchedule, epochs: number): void {
  if (typeof s !== 'object' || s === null) throw invalidOption(method, 'schedule', "an object such as { kind: 'constant' }", s);
  switch (s.kind) {
    case 'constant':
      return;
    case 'multistep': {
      const ms = s.milestones;
      if (!Array.isArray(ms) || !ms.every(isPositiveInt) || ms.some((m, i) => i > 0 && m <= ms[i - 1]!)) {
        throw invalidOption(method, 'schedule.milestones', 'strictly increasing epoch numbers >= 1', ms);
      }
      if (s.gamma !== undefined && (!isFiniteNumber(s.gamma) || s.gamma <= 0)) {
        throw invalidOption(method, 'schedule.gamma', 'a finite number > 0', s.gamma);
      }
      const w = s.warmupEpochs;
      if (w !== undefined && (!Number.isInteger(w) || w < 0 || w >= epochs)) {
        throw invalidOption(method, 'schedule.warmupEpochs', `an integer in [0, epochs) = [0, ${epochs})`, w);
      }
      return;
    }
    case 'onecycle': {
      if (s.pctStart !== undefined && (!isFiniteNumber(s.pctStart) || s.pctStart <= 0 || s.pctStart >= 1)) {
        throw invalidOption(method, 'schedule.pctStart', 'a number in (0, 1)', s.pctStart);
      }
      for (const key of ['divFactor', 'finalDivFactor'] as const) {
        const v = s[key];
        if (v !== undefined && (!isFiniteNumber(v) || v <= 0)) throw invalidOption(method, `schedule.${key}`, 'a finite number > 0', v);
      }
      return;
    }
    default:
      throw invalidOption(method, 'schedule.kind', "'constant', 'multistep' or 'onecycle'", (s as { kind?: unknown }).kind);
  }
}

export function validateRetrainOptions(method: string, o: RetrainOptions): void {
  if (o.reinit !== 'all' && o.reinit !== 'head') throw invalidOption(method, 'reinit', "'all' or 'head'", o.reinit);
  if (o.init !== undefined && typeof o.init !== 'function') throw invalidOption(method, 'init', 'a function (model, seed, reinit) => void', typeof o.init);
  validateTrainOptions(method, o);
}
