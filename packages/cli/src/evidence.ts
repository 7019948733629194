import type { ModelAdapter, TensorDataset } from '@unlearn/core';
import type { MeasureSet, MetricDefinition } from '@unlearn/eval';
import { evalApi } from './eval-api.js';
import type { BeforeAfter, DeletionRecord } from './record.js';

export interface EvidenceInputs {
  forget: TensorDataset;
  retain?: TensorDataset;
  /** Members for the attack when no retain set is given (the forget set is then inside it). */
  train?: TensorDataset;
  evaluation?: TensorDataset;
}

export interface Evidence {
  forgetAccuracy?: number;
  retainAccuracy?: number;
  testAccuracy?: number;
  mia?: number;
  /** Every other metric of @unlearn/eval the inputs allow, by id, with its label. */
  metrics?: Record<string, { label: string; unit: string; value: number }>;
}

/** The record's name for the eval metrics it has always carried. */
const NAMED = { forgetTrainAcc: 'forgetAccuracy', retainTrainAcc: 'retainAccuracy', testAcc: 'testAccuracy', mia: 'mia' } as const;

/**
 * What can be measured with the data given, by @unlearn/eval's metric definitions (`metrics`,
 * default `defaultMetrics`): the forget set is Df (forgetTrain), the retain set Dr (retainTrain),
 * the evaluation set the test set; without --retain, --train stands for the members of the attack
 * but has no accuracy of its own.
 */
export async function measure(
  model: ModelAdapter,
  data: EvidenceInputs,
  signal?: AbortSignal,
  metrics?: readonly MetricDefinition[],
): Promise<{ evidence: Evidence; notes: string[] }> {
  const evidence: Evidence = {};
  const notes: string[] = [];
  const api = await evalApi().catch((error: unknown) => error as Error);
  // Every measurement, accuracies included, is @unlearn/eval's: without it the record has none.
  if (api instanceof Error) return { evidence, notes: [`nothing measured (no forget, retain or test accuracy, no MIA, no other metric): ${api.message}`] };
  const sets: Partial<Record<'forgetTrain' | 'retainTrain' | 'test', MeasureSet>> = { forgetTrain: data.forget };
  if (data.retain) sets.retainTrain = data.retain;
  else if (data.train) sets.retainTrain = { x: data.train.x };
  if (data.evaluation) sets.test = data.evaluation;
  const chosen = metrics ?? api.defaultMetrics;
  const { values } = await api.measureModel(model, sets, { metrics: chosen, predict: signal ? { signal } : {} });
  const others: NonNullable<Evidence['metrics']> = {};
  for (const m of chosen) {
    const value = values[m.id];
    if (value === undefined) continue;
    const named = NAMED[m.id as keyof typeof NAMED];
    if (named) evidence[named] = value;
    else others[m.id] = { label: m.label, unit: m.unit, value };
  }
  if (Object.keys(others).length > 0) evidence.metrics = others;
  if (!data.retain && data.train && data.evaluation) notes.push('MIA members are the --train set (no --retain given), which includes the forget samples');
  if (!(data.retain ?? data.train) || !data.evaluation) notes.push('MIA not measured: it needs --eval-data (non-members) and --retain or --train (members)');
  if (!data.forget.y) notes.push('forget accuracy not measured: no --labels for the forget set');
  return { evidence, notes };
}

/** The record's evidence from the measurements before and after unlearning: what both have. */
export function evidencePairs(b: Evidence, a: Evidence): Partial<DeletionRecord['evidence']> {
  const e: Partial<DeletionRecord['evidence']> = {};
  const pair = (before: number | undefined, after: number | undefined): BeforeAfter | undefined =>
    before === undefined || after === undefined ? undefined : { before, after };
  for (const name of Object.values(NAMED)) {
    const p = pair(b[name], a[name]);
    if (p) e[name] = p;
  }
  const metrics: NonNullable<DeletionRecord['evidence']['metrics']> = {};
  for (const [id, { label, unit, value }] of Object.entries(b.metrics ?? {})) {
    const after = a.metrics?.[id];
    if (after) metrics[id] = { label, unit, before: value, after: after.value };
  }
  if (Object.keys(metrics).length > 0) e.metrics = metrics;
  return e;
}
