import { isUnlearnError, type Unlearner } from '@unlearn/core';
import type { LoadedSplit } from '../data.js';
import { badInput, CliError } from '../exit-codes.js';

/** The flags `forget` reads when checking a request. */
export interface RequestFlags {
  retain?: string;
  train?: string;
  importances?: string;
}

/** Says which flag supplies what the method needs, before any data is read. */
export function checkNeeds(unlearner: Unlearner, flags: RequestFlags): void {
  const { needs, name } = unlearner;
  if (needs.retain && !flags.retain) {
    throw badInput('MISSING_DATA', `${name} needs the retain set: pass --retain <file>${needs.labels ? ' --retain-labels <file>' : ''}`);
  }
  if (needs.train && !flags.train && !(needs.acceptsImportances && flags.importances)) {
    const alt = needs.acceptsImportances ? ', or --importances <dir> computed earlier with `unlearn importances`' : '';
    throw badInput('MISSING_DATA', `${name} needs the full training set: pass --train <file>${needs.labels ? ' --train-labels <file>' : ''}${alt}`);
  }
}

export function checkLabelsGiven(unlearner: Unlearner, splits: { flag: string; split: LoadedSplit | undefined }[]): void {
  if (!unlearner.needs.labels) return;
  for (const { flag, split } of splits) {
    if (split && !split.data.y) {
      throw badInput(
        'MISSING_LABELS',
        `${unlearner.name} needs labels for ${split.x.path}: pass ${flag} <file>${split.x.format === 'image-folder' ? ' (or arrange the images in class subfolders 0/, 1/, ...)' : ''}`,
      );
    }
  }
}

/** Core's needs check, re-worded with the flag to pass, for methods whose needs change with options. */
export function translateCoreError(error: unknown): unknown {
  if (!isUnlearnError(error)) return error;
  const flags: Record<string, string> = { forget: '--labels', retain: '--retain-labels', train: '--train-labels' };
  if (error.code === 'MISSING_LABELS') {
    const split = /on the (\w+) set/.exec(error.message)?.[1];
    const flag = split ? flags[split] : undefined;
    if (flag) return new CliError('bad-input', 'MISSING_LABELS', `${error.message.replace(/ \(give .*\)$/, '')}: pass ${flag} <file>`, { cause: error });
  }
  if ((error.code === 'MISSING_LABELS' || error.code === 'MISSING_DATA') && /validation/.test(error.message)) {
    return new CliError('bad-input', error.code, `${error.message}: pass --eval-data <file> --eval-labels <file>`, { cause: error });
  }
  if (error.code === 'MISSING_DATA') {
    const hint = /request\.retain/.test(error.message) ? '--retain <file>' : /request\.train/.test(error.message) ? '--train <file>' : undefined;
    if (hint) return new CliError('bad-input', 'MISSING_DATA', `${error.message}: pass ${hint}`, { cause: error });
  }
  return error;
}
