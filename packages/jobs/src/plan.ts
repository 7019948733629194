import * as tf from '@tensorflow/tfjs-core';
import { createUnlearner, invalidOption, isSeed, MAX_SEED, UnlearnError } from '@unlearn/core';
import type { Unlearner } from '@unlearn/core';
import { builtinMetrics, DEFAULT_BATCH_SIZE } from '@unlearn/eval';
import type { ZrfReduction } from '@unlearn/eval';
import { checkAutoSpec } from './auto-job.js';
import type { PlannedJob } from './driver.js';
import { checkJobOptions } from './file-options.js';
import { methodSpec } from './method-spec.js';
import { metricsOf } from './run-job.js';
import { toScenario } from './scenarios.js';
import { jobKey, type AutoSpec, type JobSpec, type ScenarioSpec } from './spec.js';

/** A method by registry name, with options (what `createUnlearner` takes). */
export interface MethodChoice {
  name: string;
  options?: Record<string, unknown>;
  /** Search the method's strength (an `auto` job) for this target instead of running it as given. */
  auto?: AutoSpec;
}

/** A benchmark grid whose every part can be written down: the serialisable twin of `BenchmarkOptions`. */
export interface GridSpec {
  scenarios: readonly ScenarioSpec[];
  /** Methods under test by row name. */
  methods: Readonly<Record<string, MethodChoice>>;
  /** The reference (usually `{ name: 'retrain' }`); its row is named after the unlearner. */
  retrain?: MethodChoice;
  seeds?: readonly number[];
  /** Built-in metric ids (default: all, less those needing a reference when there is none). */
  metrics?: readonly string[];
  includeOriginal?: boolean;
  batchSize?: number;
  zrfReduction?: ZrfReduction;
  /** tfjs backend for every job (default: this process's). */
  backend?: string;
  title?: string;
}

/** One scenario and seed: its reference (if any), then the jobs that compare against it. */
export interface GridCell {
  scenario: ScenarioSpec;
  seed: number;
  reference?: PlannedJob;
  rest: PlannedJob[];
}

export interface GridPlan {
  cells: GridCell[];
  metrics: string[];
  referenceRow?: { name: string; method: string; options: unknown };
  methodRows: string[];
  includeOriginal: boolean;
  seeds: number[];
  batchSize: number;
  zrfReduction: ZrfReduction;
  backend: string;
  title?: string;
}

const build = (choice: MethodChoice): Unlearner => {
  checkJobOptions(choice.name, choice.options ?? {});
  const u = createUnlearner(choice.name, choice.options ?? {});
  u.validate?.();
  return u;
};

/**
 * Turns a grid into job descriptions keyed by content. Every method is built once here, so bad
 * names and options fail before any job is queued (as `benchmark` does before hours of retraining).
 */
export async function planGrid(grid: GridSpec, inputs: { model: string; data: { train: string; test: string } }): Promise<GridPlan> {
  const seeds = [...(grid.seeds ?? [0])];
  // core's seed rule: a seed past 32 bits would share its random stream with a smaller one.
  if (seeds.length === 0 || !seeds.every(isSeed) || new Set(seeds).size !== seeds.length) {
    throw invalidOption('jobs', 'seeds', `a non-empty list of distinct integers from 0 to ${MAX_SEED}`, seeds);
  }
  if (grid.scenarios.length === 0) throw invalidOption('jobs', 'scenarios', 'a non-empty list of scenarios', grid.scenarios);
  const names = grid.scenarios.map((s) => toScenario(s).name);
  if (new Set(names).size !== names.length) throw invalidOption('jobs', 'scenarios', 'scenarios with distinct names', names);
  const methodRows = Object.keys(grid.methods);
  if (methodRows.length === 0) throw invalidOption('jobs', 'methods', 'a non-empty { row: { name, options } } object', grid.methods);
  for (const row of methodRows) {
    const choice = grid.methods[row]!;
    const u = build(choice);
    if (choice.auto) checkAutoSpec(u, choice.auto, grid.scenarios);
  }
  const reference = grid.retrain ? build(grid.retrain) : undefined;
  const includeOriginal = grid.includeOriginal !== false;
  if (reference && methodRows.includes(reference.name)) {
    throw invalidOption('jobs', 'methods', `row names other than "${reference.name}" (the reference's row)`, methodRows);
  }
  if (includeOriginal && methodRows.includes('original')) throw invalidOption('jobs', 'methods', 'row names other than "original"', methodRows);
  const metrics = [
    ...(grid.metrics ?? Object.values(builtinMetrics).filter((m) => reference || !m.needsRetrained).map((m) => m.id)),
  ];
  const needing = metricsOf(metrics).filter((m) => m.needsRetrained);
  if (!reference && needing.length > 0) {
    throw new UnlearnError('MISSING_DATA', `jobs: the metrics ${needing.map((m) => m.id).join(', ')} compare against a retrained model; give retrain or leave them out`);
  }
  const batchSize = grid.batchSize ?? DEFAULT_BATCH_SIZE;
  const zrfReduction = grid.zrfReduction ?? 'js';
  const backend = grid.backend ?? tf.getBackend();
  const common = { format: 'unlearn-job' as const, version: 1 as const, ...inputs, metrics, eval: { batchSize, zrfReduction }, backend };
  const planned = async (spec: JobSpec): Promise<PlannedJob> => ({ key: await jobKey(spec), spec });

  const cells: GridCell[] = [];
  for (const seed of seeds) {
    for (const scenario of grid.scenarios) {
      const ref = reference
        ? await planned({
            ...common,
            kind: 'reference',
            scenario,
            seed,
            method: methodSpec(reference.name, grid.retrain!),
            produce: { model: true },
          })
        : undefined;
      const against = ref ? { reference: ref.key } : {};
      const rest: PlannedJob[] = [];
      if (includeOriginal) rest.push(await planned({ ...common, kind: 'original', scenario, seed, ...against, produce: { model: false } }));
      for (const row of methodRows) {
        const m = grid.methods[row]!;
        const method = methodSpec(row, m);
        const kind = m.auto ? { kind: 'auto' as const, auto: m.auto } : { kind: 'method' as const };
        rest.push(await planned({ ...common, ...kind, scenario, seed, method, ...against, produce: { model: false } }));
      }
      cells.push({ scenario, seed, ...(ref ? { reference: ref } : {}), rest });
    }
  }
  return {
    cells,
    metrics,
    ...(reference ? { referenceRow: { name: reference.name, method: reference.name, options: reference.options } } : {}),
    methodRows,
    includeOriginal,
    seeds,
    batchSize,
    zrfReduction,
    backend,
    ...(grid.title ? { title: grid.title } : {}),
  };
}

/** Every job of a plan, references first. */
export function planJobs(plan: GridPlan): PlannedJob[] {
  return [...plan.cells.flatMap((c) => (c.reference ? [c.reference] : [])), ...plan.cells.flatMap((c) => c.rest)];
}
