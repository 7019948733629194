import { sha256Hex, stableJson } from '@unlearn/core';
import type { ZrfReduction } from '@unlearn/eval';
import { toScenario } from './scenarios.js';

/** The forgetting scenarios a job can name: the ones a command line can spell (see the CLI's --scenario). */
export type ScenarioSpec =
  | { kind: 'full-class'; class: number }
  | { kind: 'random'; count: number; seed?: number }
  | { kind: 'random'; fraction: number; seed?: number };

/** A method as the registry builds it: `createUnlearner(name, options)`. */
export interface MethodSpec {
  /** Row name in the report (a key of the benchmark's `unlearners`, or the reference's name). */
  row: string;
  name: string;
  options: Record<string, unknown>;
  /** The package that registered the method (the registry's `source`), when it says. */
  source?: string;
  /**
   * That package's installed version when the job was planned: part of the key, so that results
   * of an older version are not reused, and checked by the worker that runs the job.
   */
  version?: string;
}

/**
 * - `reference`: retrain (or whatever `method` is) on Dr, keep the model, evaluate it;
 * - `original`: evaluate the model before unlearning (no unlearning step);
 * - `method`: run a method under test and evaluate its model (and keep it if `produce.model`);
 * - `auto`: search the method's strength with core's `autoUnlearn`, evaluate the chosen model.
 */
export type JobKind = 'reference' | 'original' | 'method' | 'auto';

/**
 * What an `auto` job searches for: `autoUnlearn`'s target and guard options. No time budget
 * (`maxSeconds`): a search cut by the clock ends after a different trial on a slower machine, and
 * one key must always mean one result.
 */
export interface AutoSpec {
  targetForgetAccuracy?: number;
  maxRetainDrop?: number;
  maxTrials?: number;
  /**
   * `test` (default): the test set guards the accuracy of the kept classes (a grid has no other
   * held-out set); `none`: no guard, the weakest strength that meets the target wins.
   */
  guard?: 'test' | 'none';
}

/**
 * One cell of a benchmark grid, fully described by content: whoever runs it, wherever, gets the
 * same numbers. Models and data are named by the hash of their bytes in the store, never by a
 * path, so the description (and its key) is the same on every machine.
 */
export interface JobSpec {
  format: 'unlearn-job';
  version: 1;
  kind: JobKind;
  /** Content hash of the trained model in the store (`models/<hash>`). */
  model: string;
  /** Content hashes of the train and test sets in the store (`data/<hash>`). */
  data: { train: string; test: string };
  scenario: ScenarioSpec;
  /** Seed of the split and, without `runSeed`, of the method's run. */
  seed: number;
  /**
   * Seed of the method's run when it differs from the split's: the K reference models of a
   * per-example attack all forget the same examples (one split) in K independent runs.
   */
  runSeed?: number;
  /** Absent for `original`. */
  method?: MethodSpec;
  /** For `auto` jobs. */
  auto?: AutoSpec;
  /** Key of the reference job whose model and retrain time this job's metrics compare against. */
  reference?: string;
  /** Built-in metric ids of @unlearn/eval, in report order. */
  metrics: string[];
  /** Settings that change numbers (the prediction batch size does not, but is kept for the report). */
  eval: { batchSize: number; zrfReduction: ZrfReduction };
  /** tfjs backend every worker must use: kernels differ in the last bits between backends. */
  backend: string;
  /** The reference keeps its model for the jobs that compare against it; reference-model sets keep every model. */
  produce: { model: boolean };
}

/** The job's content address: SHA-256 of its canonical JSON. Equal descriptions share one result. */
export function jobKey(spec: JobSpec): Promise<string> {
  return sha256Hex([new TextEncoder().encode(stableJson(spec))]);
}

/** A short label for logs and progress lines. */
export function jobLabel(spec: JobSpec): string {
  const role = { original: '', reference: ' (reference)', method: '', auto: ' (auto)' }[spec.kind];
  const what = spec.kind === 'original' ? 'original' : `${spec.method!.row}${role}`;
  const run = spec.runSeed === undefined ? '' : ` run ${spec.runSeed}`;
  return `${toScenario(spec.scenario).name} seed ${spec.seed}${run} ${what}`;
}
