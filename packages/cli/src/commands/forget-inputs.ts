import { readdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { ForgetRequest, ModelAdapter, Unlearner } from '@unlearn/core';
import { loadSplit, type LoadedSplit, type SplitSpec } from '../data.js';
import type { EvidenceInputs } from '../evidence.js';
import { combinedSha256, digestFile, type FileDigest } from '../hash.js';
import type { Output } from '../io.js';
import { importanceApi } from '../ssd-api.js';
import type { ForgetFlags } from './forget.js';
import { checkLabelsGiven, SPLIT_FLAGS } from './forget-checks.js';

/** Something `unlearn forget` frees when it ends, however it ends. */
export type Disposables = { dispose(): void }[];

/** The data sets of one `unlearn forget`, each read and checked against the model. */
export interface ForgetInputs {
  forget: LoadedSplit;
  retain?: LoadedSplit;
  train?: LoadedSplit;
  evaluation?: LoadedSplit;
  validation?: LoadedSplit;
}

/** Precomputed importances, and what the record says of their folder. */
export interface ImportanceInput {
  value: unknown;
  record: { path: string; sha256: string; files: FileDigest[] };
}

/** Reads every split the flags name (each added to `disposables` as it loads), then checks the method has the labels it needs. */
export async function loadForgetInputs(
  flags: ForgetFlags,
  model: ModelAdapter,
  unlearner: Unlearner,
  cwd: string,
  disposables: Disposables,
): Promise<ForgetInputs> {
  const load = async (spec: SplitSpec | undefined) => {
    if (!spec) return undefined;
    const split = await loadSplit(model, spec, cwd);
    disposables.push(split);
    return split;
  };
  // A split's spec from its flags: the table names them, the caller's flags give the files.
  const spec = (role: keyof typeof SPLIT_FLAGS, x: string | undefined, y: string | undefined): SplitSpec | undefined =>
    x ? { role, xFlag: SPLIT_FLAGS[role].x, x, yFlag: SPLIT_FLAGS[role].y, y } : undefined;
  const forget = (await load(spec('forget', flags.forget, flags.labels)))!;
  const retain = await load(spec('retain', flags.retain, flags.retainLabels));
  const train = await load(spec('train', flags.train, flags.trainLabels));
  const evaluation = await load(
    flags.evalData ? { role: 'evaluation', xFlag: '--eval-data', x: flags.evalData, yFlag: '--eval-labels', y: flags.evalLabels } : undefined,
  );
  const validation = await load(spec('validation', flags.validation, flags.validationLabels));
  checkLabelsGiven(unlearner, { forget, retain, train });
  return { forget, retain, train, evaluation, validation };
}

/** `--importances` for a method that takes them (a warning for one that does not). */
export async function loadImportanceInput(
  flags: ForgetFlags,
  unlearner: Unlearner,
  out: Output,
  cwd: string,
  disposables: Disposables,
): Promise<ImportanceInput | undefined> {
  if (!flags.importances) return undefined;
  if (!unlearner.needs.acceptsImportances) {
    out.warn(`${unlearner.name} does not use precomputed importances; --importances is ignored`);
    return undefined;
  }
  const dir = resolve(cwd, flags.importances);
  const { loadImportances, disposeImportances } = await importanceApi();
  const set = await loadImportances(dir);
  disposables.push({ dispose: () => disposeImportances(set) });
  return { value: set, record: await digestFolder(dir, flags.importances) };
}

/** The request core runs: the guard set is --validation, else a labelled --eval-data. */
export function forgetRequest(inputs: ForgetInputs, importances: ImportanceInput | undefined, flags: ForgetFlags, out: Output): ForgetRequest {
  const { forget, retain, train, evaluation, validation } = inputs;
  const request: ForgetRequest = { forget: forget.data };
  if (retain) request.retain = retain.data;
  if (train) request.train = train.data;
  const guardSet = validation ?? evaluation;
  if (guardSet?.data.y) request.validation = guardSet.data;
  if (flags.auto && !request.validation) {
    out.warn('--auto without a labelled --validation (or --eval-data) set: no utility guard; the weakest strength that meets the target is kept');
  }
  if (importances) request.importances = importances.value;
  return request;
}

/** The sets the evidence is measured on, before and after. */
export function evidenceInputs(inputs: ForgetInputs): EvidenceInputs {
  const { forget, retain, train, evaluation } = inputs;
  return {
    forget: forget.data,
    ...(retain ? { retain: retain.data } : {}),
    ...(train ? { train: train.data } : {}),
    ...(evaluation ? { evaluation: evaluation.data } : {}),
  };
}

async function digestFolder(dir: string, given: string): Promise<{ path: string; sha256: string; files: FileDigest[] }> {
  const names = (await readdir(dir)).filter((n) => !n.startsWith('.')).sort();
  const files: FileDigest[] = [];
  for (const n of names) files.push(await digestFile(join(dir, n), n));
  return { path: given, sha256: combinedSha256(files), files };
}
