import type { ModelAdapter, TensorDataset } from '@unlearn/core';
import { accuracy } from './accuracy.js';

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
}

type Mia = (model: ModelAdapter, data: { retainTrain: { x: TensorDataset['x'] }; test: { x: TensorDataset['x'] }; forgetTrain: { x: TensorDataset['x'] } }) => Promise<{ value: number }>;

let miaImpl: Promise<Mia | string> | undefined;

/** @unlearn/eval's entropy attack, loaded on first use; a string says why it is unavailable. */
export function loadMia(): Promise<Mia | string> {
  miaImpl ??= import('@unlearn/eval').then(
    (m) => m.membershipInference as Mia,
    (error: unknown) => `membership inference needs @unlearn/eval, which failed to load (${(error as Error).message.split('\n')[0]})`,
  );
  return miaImpl;
}

/** What can be measured with the data given: accuracies on each labelled set, and the MIA. */
export async function measure(model: ModelAdapter, data: EvidenceInputs, signal?: AbortSignal): Promise<{ evidence: Evidence; notes: string[] }> {
  const evidence: Evidence = {};
  const notes: string[] = [];
  if (data.forget.y) evidence.forgetAccuracy = await accuracy(model, data.forget, 256, signal);
  if (data.retain?.y) evidence.retainAccuracy = await accuracy(model, data.retain, 256, signal);
  if (data.evaluation?.y) evidence.testAccuracy = await accuracy(model, data.evaluation, 256, signal);
  const members = data.retain ?? data.train;
  if (members && data.evaluation) {
    const mia = await loadMia();
    if (typeof mia === 'string') notes.push(mia);
    else {
      evidence.mia = (await mia(model, { retainTrain: { x: members.x }, test: { x: data.evaluation.x }, forgetTrain: { x: data.forget.x } })).value;
      if (!data.retain) notes.push('MIA members are the --train set (no --retain given), which includes the forget samples');
    }
  } else {
    notes.push('MIA not measured: it needs --eval-data (non-members) and --retain or --train (members)');
  }
  if (!data.forget.y) notes.push('forget accuracy not measured: no --labels for the forget set');
  return { evidence, notes };
}
